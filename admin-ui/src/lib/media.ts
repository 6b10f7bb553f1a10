// The media library's rules for the screens: which copy of an image to
// show or insert, where an item is used (the 409 media_in_use answer), and
// which items this user uploaded.
import { ApiError } from '../api/errors';
import type { MediaItem, MediaUse } from '../api/types';
import { segment } from './router';
import { formatBytes } from './siteConfig';

type Pictured = Pick<MediaItem, 'url' | 'type' | 'width' | 'variants'>;

/** thumbnailUrl is the smallest copy of an image (its original when it has none); null for documents. */
export function thumbnailUrl(item: Pictured): string | null {
  if (item.type !== 'image') return null;
  const v = [...item.variants].sort((a, b) => a.width - b.width)[0];
  return v?.url ?? item.url;
}

/** previewUrl is a copy about `want` pixels wide for a larger preview (the original when none is as wide). */
export function previewUrl(item: Pictured, want = 960): string | null {
  if (item.type !== 'image') return null;
  const v = [...item.variants].sort((a, b) => a.width - b.width).find((x) => x.width >= want);
  return v?.url ?? item.url;
}

/** The widest image worth putting in running text. */
export const INLINE_MAX_WIDTH = 1600;

/**
 * insertUrl is the address an image gets in Markdown: the original, unless
 * it is wider than INLINE_MAX_WIDTH and a smaller copy exists (a 6000 px
 * photo would make every reader download megabytes).
 */
export function insertUrl(item: Pictured): string {
  if (item.width !== null && item.width > INLINE_MAX_WIDTH && item.variants.length) {
    const fits = item.variants.filter((v) => v.width <= INLINE_MAX_WIDTH).sort((a, b) => b.width - a.width);
    if (fits[0]) return fits[0].url;
  }
  return item.url;
}

/** What the picker hands back. */
export interface Picked {
  /** The library item, or null for an address typed in. */
  item: MediaItem | null;
  /** The address to use in Markdown (a smaller copy of a very large image). */
  url: string;
  alt: string;
}

/** altProblem says what is wrong with an alt text, or '' when it will do. */
export function altProblem(alt: string, required: boolean): string {
  const a = alt.trim();
  if (!a) return required ? 'Write an alt text: what the image shows, for people who cannot see it.' : '';
  if ([...a].length > 500) return 'Keep it under 500 characters.';
  return '';
}

const FORMAT_NAME: Record<string, string> = { jpeg: 'JPEG', png: 'PNG', gif: 'GIF', webp: 'WebP', pdf: 'PDF' };

/** describeItem is a short line about an item: "PNG image · 1000 × 600 · 3.1 KiB". */
export function describeItem(item: Pick<MediaItem, 'mime' | 'type' | 'width' | 'height' | 'size'>): string {
  const sub = item.mime.split('/')[1] ?? item.mime;
  const fmt = FORMAT_NAME[sub] ?? sub.toUpperCase();
  const parts = [item.type === 'image' ? `${fmt} image` : `${fmt} document`];
  if (item.width && item.height) parts.push(`${item.width} × ${item.height}`);
  parts.push(formatBytes(item.size));
  return parts.join(' · ');
}

// ---- where an item is used ----

/** usedByFrom reads the "used by" list from a refused delete (409 media_in_use); null for any other error. */
export function usedByFrom(err: unknown): MediaUse[] | null {
  if (!(err instanceof ApiError) || err.status !== 409 || err.code !== 'media_in_use') return null;
  const list = (err.info as { used_by?: unknown } | null)?.used_by;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (u): u is MediaUse =>
      !!u && typeof u === 'object' && (u.type === 'post' || u.type === 'case_study' || u.type === 'page') && typeof u.id === 'number' && typeof u.title === 'string' && typeof u.field === 'string',
  );
}

/** useHref is the app path of the entry that uses an item. */
export function useHref(u: Pick<MediaUse, 'type' | 'id'>): string {
  return `${segment(u.type)}/${u.id}`;
}

const FIELD_LABEL: Record<string, string> = {
  cover_image: 'cover image',
  logo: 'logo',
  body: 'an image in the text',
  summary: 'an image in the summary',
  challenge: 'an image in the challenge',
  solution: 'an image in the solution',
  results: 'an image in the results',
};

/** useField says where in the entry the item is used ("cover image", "an image in the text"). */
export function useField(field: string): string {
  return FIELD_LABEL[field] ?? field.replace(/_/g, ' ');
}

/** groupUses puts the uses of one entry together: [{type, id, title, fields: [...]}]. */
export function groupUses(uses: MediaUse[]): Array<{ type: MediaUse['type']; id: number; title: string; fields: string[] }> {
  const out: Array<{ type: MediaUse['type']; id: number; title: string; fields: string[] }> = [];
  for (const u of uses) {
    const g = out.find((x) => x.type === u.type && x.id === u.id);
    if (g) {
      if (!g.fields.includes(u.field)) g.fields.push(u.field);
    } else out.push({ type: u.type, id: u.id, title: u.title, fields: [u.field] });
  }
  return out;
}

/** forceWarning: what "Delete anyway" does to the entries that use the item. */
export function forceWarning(uses: MediaUse[]): string {
  const covers = uses.some((u) => u.field === 'cover_image' || u.field === 'logo');
  const inline = uses.some((u) => u.field !== 'cover_image' && u.field !== 'logo');
  const parts: string[] = [];
  if (covers) parts.push('it is taken out of those cover images and logos (a new version of each entry)');
  if (inline) parts.push('images in the text keep their link, which stops working');
  return parts.length ? `Deleting it anyway: ${parts.join('; ')}.` : '';
}

// ---- the user's own uploads ----

/**
 * OwnUploads remembers, on this device, which items this user uploaded:
 * authors may change the text of their own items only, and the API does not
 * say who uploaded an item. Only new items count (uploading bytes that are
 * already in the library returns someone else's item).
 */
export class OwnUploads {
  private static readonly MAX = 500;
  constructor(
    private storage: Storage | null,
    private userId: number,
  ) {}

  private get key() {
    return `folio:own-media:${this.userId}`;
  }

  ids(): number[] {
    try {
      const v = JSON.parse(this.storage?.getItem(this.key) ?? '[]') as unknown;
      return Array.isArray(v) ? v.filter((x): x is number => Number.isInteger(x)) : [];
    } catch {
      return [];
    }
  }

  has(id: number): boolean {
    return this.ids().includes(id);
  }

  add(id: number) {
    const ids = [id, ...this.ids().filter((x) => x !== id)].slice(0, OwnUploads.MAX);
    try {
      this.storage?.setItem(this.key, JSON.stringify(ids));
    } catch {
      // Storage full or disabled: the author just cannot edit it from here.
    }
  }
}

import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/errors';
import type { MediaItem } from '../src/api/types';
import { applyCommand, applyEdit } from '../src/lib/mdcommands';
import {
  altProblem,
  describeItem,
  forceWarning,
  groupUses,
  insertUrl,
  OwnUploads,
  previewUrl,
  thumbnailUrl,
  useField,
  useHref,
  usedByFrom,
} from '../src/lib/media';
import { MemoryStorage } from './helpers';

const v = (w: number) => ({ width: w, height: Math.round(w * 0.6), url: `https://cms/media/variants/x-${w}.jpg` });
const photo = (width: number, variants = [v(960), v(480), v(1600)].filter((x) => x.width <= width)): Pick<MediaItem, 'url' | 'type' | 'width' | 'variants'> => ({
  url: 'https://cms/media/originals/x.jpg',
  type: 'image',
  width,
  variants,
});

describe('which copy of an image', () => {
  it('the grid shows the smallest copy, or the original when there is none', () => {
    expect(thumbnailUrl(photo(4000))).toBe('https://cms/media/variants/x-480.jpg');
    expect(thumbnailUrl({ ...photo(300), variants: [] })).toBe('https://cms/media/originals/x.jpg');
    expect(thumbnailUrl({ url: 'https://cms/media/originals/y.pdf', type: 'document', width: null, variants: [] })).toBeNull();
  });

  it('a preview takes the first copy at least as wide as asked', () => {
    expect(previewUrl(photo(4000), 960)).toBe('https://cms/media/variants/x-960.jpg');
    expect(previewUrl(photo(700), 960)).toBe('https://cms/media/originals/x.jpg');
  });

  it('Markdown gets the original, unless it is very wide', () => {
    expect(insertUrl(photo(1000))).toBe('https://cms/media/originals/x.jpg');
    expect(insertUrl(photo(1600))).toBe('https://cms/media/originals/x.jpg');
    expect(insertUrl(photo(6000))).toBe('https://cms/media/variants/x-1600.jpg');
    expect(insertUrl({ ...photo(6000), variants: [] })).toBe('https://cms/media/originals/x.jpg'); // a GIF: no copies
  });
});

describe('the picker inserts Markdown', () => {
  it('![alt](url) at the cursor, on its own line, with the item’s address', () => {
    const text = 'Intro paragraph.';
    const url = insertUrl(photo(6000));
    const e = applyCommand(text, { from: text.length, to: text.length }, 'image', { url, alt: 'A [red] square' });
    expect(applyEdit(text, e)).toBe('Intro paragraph.\n\n![A red square](https://cms/media/variants/x-1600.jpg)\n');
    expect(e.selFrom).toBe(applyEdit(text, e).length); // the caret after it
  });

  it('requires alt text where asked, and keeps it short', () => {
    expect(altProblem('   ', true)).toMatch(/^Write an alt text/);
    expect(altProblem('', false)).toBe('');
    expect(altProblem('A dog on a beach', true)).toBe('');
    expect(altProblem('x'.repeat(501), false)).toMatch(/500/);
  });
});

describe('where an item is used (409 media_in_use)', () => {
  const inUse = new ApiError(409, {
    code: 'media_in_use',
    message: 'This file is used by content.',
    details: [{ field: 'cover_image', message: 'used by post 10 ("Uses media")' }],
    used_by: [
      { type: 'post', id: 10, title: 'Uses media', field: 'cover_image' },
      { type: 'post', id: 10, title: 'Uses media', field: 'body' },
      { type: 'case_study', id: 4, title: 'Ardent', field: 'logo' },
    ],
  });

  it('reads the list from the error', () => {
    const uses = usedByFrom(inUse)!;
    expect(uses.map((u) => `${u.type}:${u.id}:${u.field}`)).toEqual(['post:10:cover_image', 'post:10:body', 'case_study:4:logo']);
  });

  it('is null for any other error (a version conflict, a 403, a network error)', () => {
    expect(usedByFrom(new ApiError(409, { code: 'conflict', message: '', details: [] }))).toBeNull();
    expect(usedByFrom(new ApiError(403, { code: 'forbidden', message: '', details: [] }))).toBeNull();
    expect(usedByFrom(new Error('x'))).toBeNull();
    expect(usedByFrom(new ApiError(409, { code: 'media_in_use', message: '', details: [] }))).toEqual([]);
  });

  it('links to the entries and names the fields', () => {
    expect(useHref({ type: 'post', id: 10 })).toBe('posts/10');
    expect(useHref({ type: 'case_study', id: 4 })).toBe('case-studies/4');
    expect(useField('cover_image')).toBe('cover image');
    expect(useField('body')).toBe('an image in the text');
    expect(useField('some_field')).toBe('some field');
    expect(groupUses(usedByFrom(inUse)!)).toEqual([
      { type: 'post', id: 10, title: 'Uses media', fields: ['cover_image', 'body'] },
      { type: 'case_study', id: 4, title: 'Ardent', fields: ['logo'] },
    ]);
  });

  it('says what forcing does', () => {
    const uses = usedByFrom(inUse)!;
    expect(forceWarning(uses)).toMatch(/taken out of those cover images and logos.*keep their link/);
    expect(forceWarning(uses.filter((u) => u.field === 'body'))).not.toMatch(/cover/);
  });
});

describe('own uploads (authors edit only theirs)', () => {
  it('remembers ids per user on this device', () => {
    const s = new MemoryStorage();
    const mine = new OwnUploads(s, 7);
    mine.add(3);
    mine.add(9);
    mine.add(3);
    expect(mine.ids()).toEqual([3, 9]);
    expect(new OwnUploads(s, 7).has(9)).toBe(true);
    expect(new OwnUploads(s, 8).has(9)).toBe(false);
  });

  it('survives broken or missing storage', () => {
    const s = new MemoryStorage();
    s.setItem('folio:own-media:1', '{not json');
    expect(new OwnUploads(s, 1).ids()).toEqual([]);
    const none = new OwnUploads(null, 1);
    none.add(1);
    expect(none.has(1)).toBe(false);
    const full = new OwnUploads(new MemoryStorage(5), 1);
    expect(() => full.add(1)).not.toThrow();
  });
});

describe('describing an item', () => {
  it('kind, size in pixels and bytes', () => {
    expect(describeItem({ mime: 'image/png', type: 'image', width: 1000, height: 600, size: 3164 })).toBe('PNG image · 1000 × 600 · 3.1 KiB');
    expect(describeItem({ mime: 'application/pdf', type: 'document', width: null, height: null, size: 2 << 20 })).toBe('PDF document · 2 MiB');
    expect(describeItem({ mime: 'image/webp', type: 'image', width: 10, height: 10, size: 10 })).toBe('WebP image · 10 × 10 · 10 bytes');
  });
});

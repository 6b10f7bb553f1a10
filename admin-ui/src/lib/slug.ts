// Slugs as folio makes them (pkg/slug): lowercase ASCII words joined by
// single hyphens, at most 120 characters, accents transliterated.

export const MAX_SLUG = 120;
const VALID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

const SPECIAL: Record<string, string> = {
  '&': ' and ',
  '@': ' at ',
  ß: 'ss',
  æ: 'ae',
  Æ: 'ae',
  ø: 'o',
  Ø: 'o',
  œ: 'oe',
  Œ: 'oe',
  đ: 'd',
  Đ: 'd',
  ł: 'l',
  Ł: 'l',
  þ: 'th',
  ð: 'd',
};

export function isValidSlug(s: string): boolean {
  return s.length <= MAX_SLUG && VALID.test(s);
}

/** slugify derives a slug from a title ("Wörld & Co." → "world-and-co"). */
export function slugify(title: string): string {
  let s = '';
  for (const ch of title) s += SPECIAL[ch] ?? ch;
  s = s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return truncate(s, MAX_SLUG);
}

function truncate(s: string, n: number): string {
  if (s.length <= n) return s;
  const cut = s.slice(0, n);
  const i = cut.lastIndexOf('-');
  return (i >= n / 2 ? cut.slice(0, i) : cut).replace(/-+$/, '');
}

/**
 * SlugFollower keeps the slug in step with the title until the user edits
 * the slug by hand. Clearing the slug field hands it back to the title.
 */
export class SlugFollower {
  following: boolean;

  /**
   * An entry follows its title when its slug is empty or still the one the
   * title gives, and it has never been published (a published slug is an
   * address people use; changing it is a decision).
   */
  constructor(title: string, slug: string, everPublished = false) {
    this.following = !everPublished && (slug === '' || slug === slugify(title));
  }

  /** onTitle returns the slug to show after the title changed, or null to keep it. */
  onTitle(title: string): string | null {
    return this.following ? slugify(title) : null;
  }

  /** onSlugInput records a hand edit of the slug and returns the slug to keep. */
  onSlugInput(slug: string, title: string): string {
    if (slug.trim() === '') {
      this.following = true;
      return slugify(title);
    }
    this.following = false;
    return slug;
  }
}

/**
 * everPublished: was the entry ever live? Then its slug is an address in
 * use (links, search engines, feeds), and it no longer follows the title,
 * even after it was unpublished or archived (first_published_at stays).
 */
export function everPublished(e: { first_published_at?: string | null; status?: string } | null | undefined): boolean {
  if (!e) return false;
  return !!e.first_published_at || e.status === 'published';
}

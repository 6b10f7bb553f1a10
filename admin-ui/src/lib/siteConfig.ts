// What the admin app shows from the server's settings (GET
// /api/v1/admin/config): where entries appear on the site, how long the
// trash keeps them, the upload limit.
import type { AdminConfig, EntryType } from '../api/types';

/**
 * publicAddress is where an entry appears on the site: the site URL and the
 * type's path pattern with the slug in place of {slug}. Without the settings
 * (still loading), a path that says as much.
 */
export function publicAddress(cfg: Pick<AdminConfig, 'site_url' | 'post_path' | 'case_study_path'> | null, type: EntryType, slug: string): string {
  const s = slug.trim() || 'slug';
  if (!cfg) return (type === 'post' ? '/blog/' : '/case-studies/') + s;
  const pattern = type === 'post' ? cfg.post_path : cfg.case_study_path;
  const path = pattern.includes('{slug}') ? pattern.replaceAll('{slug}', s) : pattern.replace(/\/?$/, '/') + s;
  const site = cfg.site_url.trim().replace(/\/+$/, '');
  return site + (path.startsWith('/') ? path : '/' + path);
}

/** trashText says how long the trash keeps things (0: until deleted by hand). */
export function trashText(days: number | null | undefined): string {
  if (days === null || days === undefined) return 'Items stay in the trash for a while, then they are deleted.';
  if (days <= 0) return 'Items stay in the trash until an admin deletes them.';
  return `Items stay in the trash for ${days === 1 ? '1 day' : `${days} days`}, then they are deleted.`;
}

/** restoreText: the same for the "move to trash?" question. */
export function restoreText(days: number | null | undefined): string {
  if (days === null || days === undefined) return 'It can be restored from the trash for a while.';
  if (days <= 0) return 'It can be restored from the trash until an admin deletes it.';
  return `It can be restored from the trash for ${days === 1 ? '1 day' : `${days} days`}.`;
}

/** formatBytes writes a size as folio does ("10 MiB", "1.5 MiB", "512 bytes"). */
export function formatBytes(n: number): string {
  for (const [size, name] of [
    [1 << 30, 'GiB'],
    [1 << 20, 'MiB'],
    [1 << 10, 'KiB'],
  ] as const) {
    if (n >= size) return n % size === 0 ? `${n / size} ${name}` : `${(n / size).toFixed(1)} ${name}`;
  }
  return n === 1 ? '1 byte' : `${n} bytes`;
}

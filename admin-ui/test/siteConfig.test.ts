import { describe, expect, it } from 'vitest';
import { formatBytes, publicAddress, restoreText, trashText } from '../src/lib/siteConfig';

const cfg = { site_url: 'https://example.com/', post_path: '/blog/{slug}', case_study_path: '/work/{slug}/' };

describe('settings shown in the app (GET /admin/config)', () => {
  it('makes an entry’s public address from the site URL and the path pattern', () => {
    expect(publicAddress(cfg, 'post', 'launch-notes')).toBe('https://example.com/blog/launch-notes');
    expect(publicAddress(cfg, 'case_study', 'ardent')).toBe('https://example.com/work/ardent/');
    expect(publicAddress(cfg, 'post', '')).toBe('https://example.com/blog/slug');
    expect(publicAddress({ ...cfg, post_path: 'news' }, 'post', 'x')).toBe('https://example.com/news/x');
  });

  it('falls back to a path while the settings load', () => {
    expect(publicAddress(null, 'post', 'a')).toBe('/blog/a');
    expect(publicAddress(null, 'case_study', 'b')).toBe('/case-studies/b');
  });

  it('says how long the trash keeps things', () => {
    expect(trashText(30)).toBe('Items stay in the trash for 30 days, then they are deleted.');
    expect(trashText(1)).toBe('Items stay in the trash for 1 day, then they are deleted.');
    expect(trashText(0)).toBe('Items stay in the trash until an admin deletes them.');
    expect(restoreText(7)).toBe('It can be restored from the trash for 7 days.');
    expect(restoreText(undefined)).toMatch(/for a while/);
  });

  it('writes sizes as folio does', () => {
    expect(formatBytes(10 << 20)).toBe('10 MiB');
    expect(formatBytes(1.5 * (1 << 20))).toBe('1.5 MiB');
    expect(formatBytes(3164)).toBe('3.1 KiB');
    expect(formatBytes(2048)).toBe('2 KiB');
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(1 << 30)).toBe('1 GiB');
  });
});

import { describe, expect, it } from 'vitest';
import type { SiteSettings } from '../src/api/types';
import { check, move, newRow, patchOf, remove, siteLink, toForm } from '../src/lib/siteSettings';

const saved: SiteSettings = {
  title: 'Northwind',
  description: null,
  logo: { url: '/media/a.png', alt: 'Logo', width: 10, height: 10, variants: [], media_id: 4 },
  icon: null,
  navigation: [
    { label: 'Blog', url: '/blog' },
    { label: 'About', url: '/about' },
  ],
  social: [{ network: 'github', url: 'https://github.com/northwind' }],
  language: 'en-GB',
  updated_at: '2026-01-02T03:04:05Z',
};

describe('site settings (the Site settings screen)', () => {
  it('makes the form from the settings and changes nothing unless edited', () => {
    const f = toForm(saved);
    expect(f.title).toBe('Northwind');
    expect(f.description).toBe('');
    expect(f.logo).toBe(4);
    expect(f.navigation.map((l) => [l.name, l.url])).toEqual([
      ['Blog', '/blog'],
      ['About', '/about'],
    ]);
    expect(new Set([...f.navigation, ...f.social].map((l) => l.key)).size).toBe(3);
    expect(patchOf(saved, f)).toEqual({});
  });

  it('sends only what changed, trimmed, with empty values as null', () => {
    const f = toForm(saved);
    f.title = '  North   wind ';
    f.description = 'Notes. ';
    f.language = '';
    f.logo = null;
    f.icon = 7;
    expect(patchOf(saved, f)).toEqual({ title: 'North wind', description: 'Notes.', language: null, logo: null, icon: 7 });
  });

  it('reorders, adds and removes navigation links, and sends the new order', () => {
    const f = toForm(saved);
    f.navigation = move(f.navigation, 1, -1);
    expect(f.navigation.map((l) => l.name)).toEqual(['About', 'Blog']);
    expect(move(f.navigation, 0, -1)).toBe(f.navigation); // nowhere to go
    expect(move(f.navigation, 1, 1)).toBe(f.navigation);
    f.navigation = [...f.navigation, newRow(' Docs ', ' https://docs.example.com ')];
    f.social = remove(f.social, 0);
    expect(patchOf(saved, f)).toEqual({
      navigation: [
        { label: 'About', url: '/about' },
        { label: 'Blog', url: '/blog' },
        { label: 'Docs', url: 'https://docs.example.com' },
      ],
      social: [],
    });
  });

  it('checks links as the server does, naming fields as its 422 does', () => {
    const f = toForm(saved);
    f.navigation = [newRow('', 'javascript:alert(1)'), newRow('Ok', '//evil.example'), newRow('Fine', '/fine')];
    f.social = [newRow('My Network', 'ftp://x'), newRow('Mastodon', 'https://mastodon.social/@n')];
    f.title = 'x'.repeat(201);
    expect(Object.keys(check(f)).sort()).toEqual(['navigation[0].label', 'navigation[0].url', 'navigation[1].url', 'social[0].network', 'social[0].url', 'title']);
    expect(check(toForm(saved))).toEqual({});
    expect(siteLink('/blog?x=1#top')).toBe(true);
    expect(siteLink('https://example.com')).toBe(true);
    expect(siteLink('blog')).toBe(false);
    expect(siteLink('/a b')).toBe(false);
  });
});

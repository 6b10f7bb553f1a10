import { describe, expect, it } from 'vitest';
import { everPublished, isValidSlug, slugify, SlugFollower } from '../src/lib/slug';

describe('slugify', () => {
  it.each([
    ['Hello, World!', 'hello-world'],
    ['  Zero-downtime   migrations  ', 'zero-downtime-migrations'],
    ['Wörld Çafé naïve', 'world-cafe-naive'],
    ['Tom & Jerry @ home', 'tom-and-jerry-at-home'],
    ['Straße', 'strasse'],
    ['!!!', ''],
    ['snake_case and CamelCase', 'snake-case-and-camelcase'],
    ['Backend 101: the basics', 'backend-101-the-basics'],
  ])('%s → %s', (title, want) => {
    expect(slugify(title)).toBe(want);
  });

  it('stays within 120 characters, cut at a hyphen', () => {
    const s = slugify('word '.repeat(60));
    expect(s.length).toBeLessThanOrEqual(120);
    expect(s.endsWith('-')).toBe(false);
    expect(isValidSlug(s)).toBe(true);
  });

  it('always makes valid slugs', () => {
    for (const t of ['a--b', '-x-', 'Ünïcödé — dashes – here', '日本語 title']) {
      const s = slugify(t);
      expect(s === '' || isValidSlug(s)).toBe(true);
    }
  });
});

describe('SlugFollower', () => {
  it('follows the title of a new entry', () => {
    const f = new SlugFollower('', '');
    expect(f.following).toBe(true);
    expect(f.onTitle('My first post')).toBe('my-first-post');
    expect(f.onTitle('My first post, edited')).toBe('my-first-post-edited');
  });

  it('stops following once the slug is edited by hand', () => {
    const f = new SlugFollower('', '');
    f.onTitle('Draft title');
    expect(f.onSlugInput('custom-slug', 'Draft title')).toBe('custom-slug');
    expect(f.following).toBe(false);
    expect(f.onTitle('A new title')).toBeNull();
  });

  it('clearing the slug hands it back to the title', () => {
    const f = new SlugFollower('Title', 'custom');
    expect(f.following).toBe(false);
    expect(f.onSlugInput('', 'Title again')).toBe('title-again');
    expect(f.following).toBe(true);
    expect(f.onTitle('Other')).toBe('other');
  });

  it('an existing entry follows only while its slug is the one the title gives', () => {
    expect(new SlugFollower('Hello world', 'hello-world').following).toBe(true);
    expect(new SlugFollower('Hello world', 'hello').following).toBe(false);
  });

  it('a published entry never follows: its address is in use', () => {
    expect(new SlugFollower('Hello world', 'hello-world', true).following).toBe(false);
  });
});

describe('slug following and publication (first_published_at)', () => {
  it('an entry that was ever published keeps its slug, even once unpublished', () => {
    const unpublished = { status: 'draft', published_at: null, first_published_at: '2026-10-01T09:00:00Z' };
    expect(everPublished(unpublished)).toBe(true);
    const f = new SlugFollower('Hello world', 'hello-world', everPublished(unpublished));
    expect(f.following).toBe(false);
    expect(f.onTitle('Hello, new world')).toBeNull();
  });

  it('a scheduled entry that never went live still follows its title', () => {
    const scheduled = { status: 'scheduled', published_at: '2031-01-01T00:00:00Z', first_published_at: null };
    expect(everPublished(scheduled)).toBe(false);
    expect(new SlugFollower('Hello world', 'hello-world', everPublished(scheduled)).following).toBe(true);
  });

  it('a draft never published, or a new entry, follows', () => {
    expect(everPublished({ status: 'draft', first_published_at: null })).toBe(false);
    expect(everPublished(null)).toBe(false);
  });

  it('a published entry counts even before first_published_at is known', () => {
    expect(everPublished({ status: 'published' })).toBe(true);
  });
});

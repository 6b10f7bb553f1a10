import { describe, expect, it } from 'vitest';
import { clientSide, pageLocally, parseListState, serverQuery, toSearch } from '../src/lib/listQuery';

const item = (title: string, updated: string, tags: string[] = [], published: string | null = null) => ({
  title,
  updated_at: updated,
  created_at: updated,
  published_at: published,
  tags,
});

describe('list state', () => {
  it('round-trips through the URL', () => {
    const s = parseListState('?q=db&status=draft,published,bogus&tag=Go&sort=title&mine=1&page=3');
    expect(s).toEqual({ page: 3, q: 'db', status: ['draft', 'published'], facet: 'Go', sort: 'title', mine: true });
    expect(toSearch(s, 'tag')).toBe('?q=db&status=draft%2Cpublished&tag=Go&sort=title&mine=1&page=3');
    expect(parseListState('')).toEqual({ page: 1, q: '', status: [], facet: '', sort: 'updated', mine: false });
  });

  it('asks the API for one page when it can do the filtering', () => {
    const s = parseListState('?status=draft&page=2');
    expect(clientSide(s)).toBe(false);
    expect(serverQuery(s)).toEqual({ page: '2', per_page: '20', status: 'draft', q: undefined, mine: undefined });
  });

  it('filters by tag, sorts and pages in the browser when the API cannot', () => {
    const s = parseListState('?tag=go&sort=title');
    expect(clientSide(s)).toBe(true);
    expect(serverQuery(s, 4).per_page).toBe('100');
    const all = Array.from({ length: 45 }, (_, i) => item(`T${String(i).padStart(2, '0')}`, `2026-01-${String((i % 28) + 1).padStart(2, '0')}`, i % 2 ? ['Go'] : ['Rust']));
    const r = pageLocally(all, s, (x) => x.tags);
    expect(r.meta).toMatchObject({ page: 1, total: 22, total_pages: 2 });
    expect(r.items[0].title).toBe('T01');
    expect(r.items.every((x) => x.tags.includes('Go'))).toBe(true);
  });

  it('sorts by publication date with unpublished last', () => {
    const s = parseListState('?sort=published');
    const r = pageLocally([item('a', '1', [], null), item('b', '1', [], '2026-02-01'), item('c', '1', [], '2026-03-01')], s, () => []);
    expect(r.items.map((x) => x.title)).toEqual(['c', 'b', 'a']);
  });
});

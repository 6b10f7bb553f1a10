import { describe, expect, it } from 'vitest';
import { DEFAULT_SORT, filtered, parseListState, serverQuery, SORTS, toSearch } from '../src/lib/listQuery';

describe('list state', () => {
  it('round-trips through the URL', () => {
    const s = parseListState('?q=db&status=draft,published,bogus&tag=go&author=ada-admin&sort=title&mine=1&page=3');
    expect(s).toEqual({ page: 3, q: 'db', status: ['draft', 'published'], sort: 'title', mine: true, tag: 'go', author: 'ada-admin', industry: '', technology: '' });
    expect(toSearch(s)).toBe('?q=db&status=draft%2Cpublished&tag=go&author=ada-admin&sort=title&mine=1&page=3');
    expect(parseListState('')).toEqual({ page: 1, q: '', status: [], sort: '-updated_at', mine: false, tag: '', author: '', industry: '', technology: '' });
    expect(toSearch(parseListState(''))).toBe('');
  });

  it('knows every sort the API takes, and nothing else', () => {
    expect(SORTS.map((s) => s.key).sort()).toEqual(['-created_at', '-published_at', '-title', '-updated_at', 'created_at', 'published_at', 'title', 'updated_at']);
    expect(parseListState('?sort=-published_at').sort).toBe('-published_at');
    expect(parseListState('?sort=random()').sort).toBe(DEFAULT_SORT);
  });

  it('keeps links from the earlier sort names working', () => {
    expect(parseListState('?sort=updated').sort).toBe('-updated_at');
    expect(parseListState('?sort=published').sort).toBe('-published_at');
    expect(parseListState('?sort=created').sort).toBe('-created_at');
  });

  it('asks the API for one page of posts, filtered by tag and author and sorted by the server', () => {
    const s = parseListState('?status=draft&tag=databases&author=ada-admin&sort=-title&page=2&industry=ignored');
    expect(serverQuery(s, 'post')).toEqual({
      page: '2',
      per_page: '20',
      status: 'draft',
      q: undefined,
      mine: undefined,
      sort: '-title',
      tag: 'databases',
      author: 'ada-admin',
    });
  });

  it('asks for case studies by industry and technology', () => {
    const s = parseListState('?industry=Finance&technology=Go&tag=ignored');
    expect(serverQuery(s, 'case_study')).toEqual({
      page: '1',
      per_page: '20',
      status: undefined,
      q: undefined,
      mine: undefined,
      sort: undefined,
      industry: 'Finance',
      technology: 'Go',
    });
  });

  it('leaves the default order to the server', () => {
    expect(serverQuery(parseListState('?sort=-updated_at'), 'post').sort).toBeUndefined();
    expect(toSearch(parseListState('?sort=-updated_at'))).toBe('');
  });

  it('says when the list is narrowed (sort and page do not count)', () => {
    expect(filtered(parseListState('?sort=title&page=4'))).toBe(false);
    expect(filtered(parseListState('?author=x'))).toBe(true);
    expect(filtered(parseListState('?technology=Go'))).toBe(true);
  });
});

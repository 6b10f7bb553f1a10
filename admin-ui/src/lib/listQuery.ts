// The state of a posts or case-studies list (search, filters, sort, page),
// kept in the URL so that lists are linkable and Back works.
//
// The admin list API filters by status and title and orders by last update.
// It has no tag / industry filter and no other order yet, so those run here:
// the matching pages are fetched (100 a page) and filtered, sorted and paged
// in the browser.
import type { PageMeta, Status } from '../api/types';

export type SortKey = 'updated' | 'title' | 'published' | 'created';

export const SORTS: Array<{ key: SortKey; label: string }> = [
  { key: 'updated', label: 'Last edited' },
  { key: 'title', label: 'Title (A–Z)' },
  { key: 'published', label: 'Publication date' },
  { key: 'created', label: 'Newest first' },
];

export const STATUSES: Status[] = ['draft', 'in_review', 'scheduled', 'published', 'archived'];

export interface ListState {
  page: number;
  q: string;
  status: Status[];
  /** A tag (posts) or industry (case studies); '' for any. */
  facet: string;
  sort: SortKey;
  mine: boolean;
}

export const PER_PAGE = 20;

export function parseListState(search: string): ListState {
  const p = new URLSearchParams(search);
  const page = Number.parseInt(p.get('page') ?? '1', 10);
  const sort = p.get('sort') as SortKey;
  return {
    page: Number.isFinite(page) && page > 0 ? page : 1,
    q: p.get('q') ?? '',
    status: (p.get('status') ?? '')
      .split(',')
      .filter((s): s is Status => (STATUSES as string[]).includes(s)),
    facet: p.get('tag') ?? p.get('industry') ?? '',
    sort: SORTS.some((s) => s.key === sort) ? sort : 'updated',
    mine: p.get('mine') === '1',
  };
}

export function toSearch(s: ListState, facetName: 'tag' | 'industry'): string {
  const p = new URLSearchParams();
  if (s.q) p.set('q', s.q);
  if (s.status.length) p.set('status', s.status.join(','));
  if (s.facet) p.set(facetName, s.facet);
  if (s.sort !== 'updated') p.set('sort', s.sort);
  if (s.mine) p.set('mine', '1');
  if (s.page > 1) p.set('page', String(s.page));
  const q = p.toString();
  return q ? '?' + q : '';
}

/** clientSide: does this state need filtering or sorting the API cannot do? */
export function clientSide(s: ListState): boolean {
  return s.facet !== '' || s.sort !== 'updated';
}

/** serverQuery is the API query for the state (one page, or every page at 100 when client-side). */
export function serverQuery(s: ListState, page = s.page): Record<string, string | undefined> {
  return {
    page: String(clientSide(s) ? page : s.page),
    per_page: String(clientSide(s) ? 100 : PER_PAGE),
    status: s.status.length ? s.status.join(',') : undefined,
    q: s.q || undefined,
    mine: s.mine ? '1' : undefined,
  };
}

export interface Sortable {
  title: string;
  updated_at: string;
  created_at: string;
  published_at: string | null;
}

export function sortItems<T extends Sortable>(items: T[], sort: SortKey): T[] {
  const out = [...items];
  switch (sort) {
    case 'title':
      return out.sort((a, b) => a.title.localeCompare(b.title, undefined, { sensitivity: 'base' }));
    case 'published':
      // Newest publication first; never-published last.
      return out.sort((a, b) => (b.published_at ?? '').localeCompare(a.published_at ?? ''));
    case 'created':
      return out.sort((a, b) => b.created_at.localeCompare(a.created_at));
    default:
      return out.sort((a, b) => b.updated_at.localeCompare(a.updated_at));
  }
}

/** pageLocally filters by facet, sorts and cuts one page out of every matching item. */
export function pageLocally<T extends Sortable>(
  all: T[],
  s: ListState,
  facetOf: (t: T) => string[],
): { items: T[]; meta: PageMeta } {
  const want = s.facet.trim().toLowerCase();
  const filtered = want ? all.filter((t) => facetOf(t).some((f) => f.toLowerCase() === want)) : all;
  const sorted = sortItems(filtered, s.sort);
  const total = sorted.length;
  const totalPages = Math.ceil(total / PER_PAGE);
  const page = Math.min(s.page, Math.max(1, totalPages));
  return {
    items: sorted.slice((page - 1) * PER_PAGE, page * PER_PAGE),
    meta: { page, per_page: PER_PAGE, total, total_pages: totalPages, next: page < totalPages ? page + 1 : null, prev: page > 1 ? page - 1 : null },
  };
}

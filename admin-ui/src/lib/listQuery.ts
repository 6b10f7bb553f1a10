// The state of a posts or case-studies list (search, filters, sort, page),
// kept in the URL so that lists are linkable and Back works. The API does
// the filtering, sorting and paging: one request per page.
import type { AdminSort, EntryType, Status } from '../api/types';

export const SORTS: Array<{ key: AdminSort; label: string }> = [
  { key: '-updated_at', label: 'Last edited first' },
  { key: 'updated_at', label: 'Least recently edited first' },
  { key: 'title', label: 'Title (A–Z)' },
  { key: '-title', label: 'Title (Z–A)' },
  { key: '-published_at', label: 'Newest publication first' },
  { key: 'published_at', label: 'Oldest publication first' },
  { key: '-created_at', label: 'Newest first' },
  { key: 'created_at', label: 'Oldest first' },
];

export const DEFAULT_SORT: AdminSort = '-updated_at';

/** Sort names of earlier versions of the app, so that old links keep working. */
const LEGACY_SORTS: Record<string, AdminSort> = {
  updated: '-updated_at',
  published: '-published_at',
  created: '-created_at',
};

export const STATUSES: Status[] = ['draft', 'in_review', 'scheduled', 'published', 'archived'];

/** The filters an entry type's list has beyond search, status and "only mine" (URL and API names). */
export type FilterKey = 'tag' | 'author' | 'industry' | 'technology';

export const FILTERS: Record<EntryType, FilterKey[]> = {
  post: ['tag', 'author'],
  case_study: ['industry', 'technology'],
  page: [],
};

export interface ListState {
  page: number;
  q: string;
  status: Status[];
  sort: AdminSort;
  mine: boolean;
  /** Posts: a tag's slug and an author's slug ('' for any). */
  tag: string;
  author: string;
  /** Case studies: an industry and a technology ('' for any). */
  industry: string;
  technology: string;
}

export const PER_PAGE = 20;

export function parseListState(search: string): ListState {
  const p = new URLSearchParams(search);
  const page = Number.parseInt(p.get('page') ?? '1', 10);
  const raw = p.get('sort') ?? '';
  const sort = SORTS.some((s) => s.key === raw) ? (raw as AdminSort) : (LEGACY_SORTS[raw] ?? DEFAULT_SORT);
  return {
    page: Number.isFinite(page) && page > 0 ? page : 1,
    q: p.get('q') ?? '',
    status: (p.get('status') ?? '').split(',').filter((s): s is Status => (STATUSES as string[]).includes(s)),
    sort,
    mine: p.get('mine') === '1',
    tag: p.get('tag') ?? '',
    author: p.get('author') ?? '',
    industry: p.get('industry') ?? '',
    technology: p.get('technology') ?? '',
  };
}

export function toSearch(s: ListState): string {
  const p = new URLSearchParams();
  if (s.q) p.set('q', s.q);
  if (s.status.length) p.set('status', s.status.join(','));
  if (s.tag) p.set('tag', s.tag);
  if (s.author) p.set('author', s.author);
  if (s.industry) p.set('industry', s.industry);
  if (s.technology) p.set('technology', s.technology);
  if (s.sort !== DEFAULT_SORT) p.set('sort', s.sort);
  if (s.mine) p.set('mine', '1');
  if (s.page > 1) p.set('page', String(s.page));
  const q = p.toString();
  return q ? '?' + q : '';
}

/** filtered: does the state narrow the list (anything but sort and page)? */
export function filtered(s: ListState): boolean {
  return !!(s.q || s.status.length || s.mine || s.tag || s.author || s.industry || s.technology);
}

/** serverQuery is the API query for the state: the filters of the entry type, sorted and paged by the server. */
export function serverQuery(s: ListState, type: EntryType): Record<string, string | undefined> {
  const q: Record<string, string | undefined> = {
    page: String(s.page),
    per_page: String(PER_PAGE),
    status: s.status.length ? s.status.join(',') : undefined,
    q: s.q || undefined,
    mine: s.mine ? '1' : undefined,
    sort: s.sort === DEFAULT_SORT ? undefined : s.sort,
  };
  for (const k of FILTERS[type]) q[k] = s[k] || undefined;
  return q;
}

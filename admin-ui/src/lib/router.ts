// Routes of the app, under /admin/. Pure: the reactive part is in app.svelte.ts.
import type { EntryType } from '../api/types';

export const BASE = '/admin/';

/** Where each entry type's list and editors live: /admin/posts, /admin/posts/12, /admin/posts/new. */
const SEGMENTS = { post: 'posts', case_study: 'case-studies', page: 'pages' } as const satisfies Record<EntryType, string>;

export type Route =
  | { name: 'dashboard' }
  | { name: 'list'; type: EntryType }
  | { name: 'edit'; type: EntryType; id: number | null }
  | { name: 'media' }
  | { name: 'webhooks' }
  | { name: 'webhook'; id: number }
  | { name: 'users' }
  | { name: 'tokens' }
  | { name: 'site' }
  | { name: 'audit' }
  | { name: 'trash' }
  | { name: 'account' }
  | { name: 'not-found' };

/** match turns a pathname into a route. */
export function match(pathname: string): Route {
  let p = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname.replace(/^\/admin\/?/, '').replace(/^\//, '');
  p = p.replace(/\/+$/, '');
  const parts = p === '' ? [] : p.split('/');
  const typeOf = (s: string) => (Object.keys(SEGMENTS) as EntryType[]).find((t) => SEGMENTS[t] === s) ?? null;
  if (parts.length === 0) return { name: 'dashboard' };
  const t = typeOf(parts[0]);
  if (t) {
    if (parts.length === 1) return { name: 'list', type: t };
    if (parts.length === 2 && parts[1] === 'new') return { name: 'edit', type: t, id: null };
    if (parts.length === 2 && /^[1-9]\d*$/.test(parts[1])) return { name: 'edit', type: t, id: Number(parts[1]) };
    return { name: 'not-found' };
  }
  if (parts.length === 2 && parts[0] === 'webhooks' && /^[1-9]\d*$/.test(parts[1])) return { name: 'webhook', id: Number(parts[1]) };
  if (parts.length === 1) {
    switch (parts[0]) {
      case 'media':
      case 'webhooks':
      case 'users':
      case 'tokens':
      case 'site':
      case 'audit':
      case 'trash':
      case 'account':
        return { name: parts[0] };
    }
  }
  return { name: 'not-found' };
}

export function segment<T extends EntryType>(type: T): (typeof SEGMENTS)[T] {
  return SEGMENTS[type];
}

/** href makes an app URL from a path relative to the app ("posts/12"). */
export function href(path: string): string {
  return BASE + path.replace(/^\//, '');
}

// Routes of the app, under /admin/. Pure: the reactive part is in app.svelte.ts.

export const BASE = '/admin/';

export type Route =
  | { name: 'dashboard' }
  | { name: 'list'; type: 'post' | 'case_study' }
  | { name: 'edit'; type: 'post' | 'case_study'; id: number | null }
  | { name: 'media' }
  | { name: 'webhooks' }
  | { name: 'webhook'; id: number }
  | { name: 'users' }
  | { name: 'tokens' }
  | { name: 'audit' }
  | { name: 'trash' }
  | { name: 'account' }
  | { name: 'not-found' };

/** match turns a pathname into a route. */
export function match(pathname: string): Route {
  let p = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname.replace(/^\/admin\/?/, '').replace(/^\//, '');
  p = p.replace(/\/+$/, '');
  const parts = p === '' ? [] : p.split('/');
  const typeOf = (s: string) => (s === 'posts' ? 'post' : s === 'case-studies' ? 'case_study' : null);
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
      case 'audit':
      case 'trash':
      case 'account':
        return { name: parts[0] };
    }
  }
  return { name: 'not-found' };
}

export function segment(type: 'post' | 'case_study'): 'posts' | 'case-studies' {
  return type === 'post' ? 'posts' : 'case-studies';
}

/** href makes an app URL from a path relative to the app ("posts/12"). */
export function href(path: string): string {
  return BASE + path.replace(/^\//, '');
}

// App-wide reactive state: the session, the current location, messages.
import { Client } from '../api/client';
import type { Permissions, User } from '../api/types';
import { browserLock } from './lock';
import { BASE, match, type Route } from './router';
import { Session, type SessionState } from './session';

const channel = typeof BroadcastChannel !== 'undefined' ? new BroadcastChannel('folio-session') : undefined;

export const session = new Session({ fetch: (...a) => fetch(...a), lock: browserLock(), channel });
export const client = new Client(session);

class AuthState {
  state = $state<SessionState>('unknown');
  user = $state<User | null>(null);
  /** What the user's role may do (lib/permissions.ts reads it). */
  permissions = $state<Permissions>({});
}
export const auth = new AuthState();
session.subscribe(() => {
  auth.state = session.state;
  auth.user = session.user;
  auth.permissions = session.permissions;
});

// ---- location ----

class Location {
  path = $state(window.location.pathname);
  search = $state(window.location.search);
  route = $derived<Route>(match(this.path));
}
export const loc = new Location();

/** A check before leaving the current screen (unsaved changes); false stays. */
let guard: (() => boolean) | null = null;
export function setGuard(fn: (() => boolean) | null) {
  guard = fn;
}

function sync() {
  loc.path = window.location.pathname;
  loc.search = window.location.search;
}

/** navigate goes to an app path ("posts/12", "/admin/posts?page=2"). */
export function navigate(to: string, opts: { replace?: boolean; force?: boolean } = {}): boolean {
  const url = to.startsWith('/') ? to : BASE + to;
  if (url === window.location.pathname + window.location.search) return true;
  const samePath = url.split('?')[0] === window.location.pathname;
  if (!opts.force && !samePath && guard && !guard()) return false;
  if (opts.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  sync();
  if (!samePath) {
    window.scrollTo(0, 0);
    focusMain();
  }
  return true;
}

/** focusMain moves focus to the new screen, so keyboard and screen reader users start there. */
export function focusMain() {
  queueMicrotask(() => {
    const h = document.querySelector<HTMLElement>('main h1');
    if (h) {
      h.tabIndex = -1;
      h.focus({ preventScroll: true });
    }
  });
}

let current = window.location.pathname + window.location.search;
window.addEventListener('popstate', () => {
  const next = window.location.pathname + window.location.search;
  if (guard && next.split('?')[0] !== current.split('?')[0] && !guard()) {
    history.pushState(null, '', current); // stay
    return;
  }
  current = next;
  sync();
});
$effect.root(() => {
  $effect(() => {
    current = loc.path + loc.search;
  });
});

/** Links inside the app navigate without reloading. */
document.addEventListener('click', (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = (e.target as Element | null)?.closest?.('a');
  if (!a || a.target || a.hasAttribute('download')) return;
  const href = a.getAttribute('href');
  if (!href || !href.startsWith(BASE) || href.startsWith(BASE + 'assets/')) return;
  e.preventDefault();
  navigate(href);
});

// ---- messages ----

export interface Toast {
  id: number;
  text: string;
  kind: 'info' | 'error' | 'success';
  action?: { label: string; run: () => void };
}

class Messages {
  list = $state<Toast[]>([]);
  private next = 1;

  show(text: string, kind: Toast['kind'] = 'info', action?: Toast['action'], ms = kind === 'error' ? 12_000 : 6000) {
    const id = this.next++;
    this.list.push({ id, text, kind, action });
    if (ms > 0) setTimeout(() => this.dismiss(id), ms);
    return id;
  }

  dismiss(id: number) {
    const i = this.list.findIndex((t) => t.id === id);
    if (i >= 0) this.list.splice(i, 1);
  }
}
export const messages = new Messages();

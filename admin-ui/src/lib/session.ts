// The session: the access token lives in memory only; the refresh token is
// the HttpOnly cookie the server set at sign-in. Refreshes are single-flight
// (one at a time, shared by every caller) and serialised across tabs by a
// lock, because presenting a refresh token that was already rotated ends the
// whole session.
import { ApiError, networkError } from '../api/errors';
import type { LoginResponse, Permissions, User } from '../api/types';
import type { WithLock } from './lock';

export type SessionState =
  | 'unknown' // starting: the first refresh has not answered yet
  | 'signed-out' // no session: show the sign-in screen
  | 'signed-in'
  | 'expired' // was signed in, the session ended: sign-in dialog over the screen
  | 'offline'; // starting, and the server could not be reached

export type RefreshResult = 'ok' | 'denied' | 'offline';

export interface SessionDeps {
  fetch: typeof fetch;
  lock: WithLock;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
  /** Tells other tabs about sign-in and sign-out (a BroadcastChannel in the browser). */
  channel?: { postMessage(msg: unknown): void; onmessage: ((ev: MessageEvent) => void) | null };
}

/** Refresh this long before the access token expires. */
export const REFRESH_AHEAD_MS = 60_000;

export class Session {
  state: SessionState = 'unknown';
  user: User | null = null;
  /** What the user's role may do, as the server's permission table says (from sign-in and refresh). */
  permissions: Permissions = {};
  private accessToken: string | null = null;
  private expiresAt = 0;
  private inflight: Promise<RefreshResult> | null = null;
  private timer: unknown = null;
  private waiters: Array<(ok: boolean) => void> = [];
  private listeners = new Set<() => void>();
  private readonly d: Required<Omit<SessionDeps, 'channel'>> & Pick<SessionDeps, 'channel'>;

  constructor(deps: SessionDeps) {
    this.d = {
      now: Date.now,
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (t) => clearTimeout(t as ReturnType<typeof setTimeout>),
      ...deps,
    };
    if (this.d.channel) {
      this.d.channel.onmessage = (ev) => this.onMessage(ev.data);
    }
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit() {
    for (const fn of this.listeners) fn();
  }

  private setState(s: SessionState) {
    this.state = s;
    this.emit();
  }

  /** start finds out whether the refresh cookie still holds a session. */
  async start(): Promise<void> {
    const r = await this.refresh();
    if (r === 'offline') this.setState('offline');
    else if (r === 'denied') this.setState('signed-out');
  }

  /** login signs in; a wrong password is an ApiError (401, 429, 422). */
  async login(email: string, password: string): Promise<User> {
    let res: Response;
    try {
      res = await this.d.fetch('/api/v1/auth/login', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ email, password }),
      });
    } catch (e) {
      throw networkError(e);
    }
    if (!res.ok) throw await errorFrom(res);
    const body = (await res.json()) as LoginResponse;
    const previous = this.user?.id;
    this.apply(body);
    this.d.channel?.postMessage({ type: 'signed-in' });
    if (previous !== undefined && previous !== body.user.id) {
      // Someone else signed in: waiting requests must not run as them.
      this.release(false);
    } else {
      this.release(true);
    }
    return body.user;
  }

  /** logout ends the session on the server and here, and tells other tabs. */
  async logout(): Promise<void> {
    try {
      await this.d.fetch('/api/v1/auth/logout', { method: 'POST', credentials: 'same-origin' });
    } catch {
      // Signed out here anyway; the server's session expires on its own.
    }
    this.clear();
    this.d.channel?.postMessage({ type: 'signed-out' });
    this.release(false);
    this.setState('signed-out');
  }

  /**
   * refresh gets a new access token with the refresh cookie. Callers share
   * the one in flight; across tabs the lock makes them take turns.
   */
  refresh(): Promise<RefreshResult> {
    if (!this.inflight) {
      this.inflight = this.d
        .lock('folio-refresh', () => this.doRefresh())
        .finally(() => {
          this.inflight = null;
        });
    }
    return this.inflight;
  }

  private async doRefresh(): Promise<RefreshResult> {
    let res: Response;
    try {
      res = await this.d.fetch('/api/v1/auth/refresh', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { Accept: 'application/json' },
      });
    } catch {
      return 'offline';
    }
    if (res.status === 401 || res.status === 403) {
      this.clear();
      return 'denied';
    }
    if (!res.ok) return 'offline';
    this.apply((await res.json()) as LoginResponse);
    return 'ok';
  }

  /**
   * token returns an access token valid for a while yet, refreshing first
   * when it is about to expire. Null means there is no session.
   */
  async token(): Promise<string | null> {
    if (this.accessToken && this.expiresAt - this.d.now() > 10_000) return this.accessToken;
    if (this.state === 'expired' || this.state === 'signed-out') return null;
    const r = await this.refresh();
    if (r === 'offline') throw networkError(new Error('refresh failed'));
    return this.accessToken;
  }

  /**
   * unauthorized is called when an admin call answered 401: one refresh, and
   * if that fails, the sign-in dialog. It resolves true when the call may be
   * retried (a new token), false when the user gave up (signed out).
   */
  async unauthorized(): Promise<boolean> {
    if (this.state !== 'expired') {
      const r = await this.refresh();
      if (r === 'ok') return true;
      if (r === 'offline') throw networkError(new Error('refresh failed'));
    }
    return this.reauthenticate();
  }

  /** reauthenticate shows the sign-in dialog and waits for the user. */
  reauthenticate(): Promise<boolean> {
    this.clear();
    if (this.user) this.setState('expired');
    else this.setState('signed-out');
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** retryAfterOtherTab: another tab signed in; try the shared cookie. */
  private async onMessage(msg: unknown) {
    const type = (msg as { type?: string })?.type;
    if (type === 'signed-in' && (this.state === 'expired' || this.state === 'signed-out')) {
      const prev = this.user?.id;
      if ((await this.refresh()) === 'ok') this.release(prev === undefined || prev === this.user?.id);
    } else if (type === 'signed-out' && this.state === 'signed-in') {
      this.clear();
      this.setState(this.user ? 'expired' : 'signed-out');
    }
  }

  private release(ok: boolean) {
    const w = this.waiters;
    this.waiters = [];
    for (const fn of w) fn(ok);
  }

  private apply(r: LoginResponse) {
    this.accessToken = r.access_token;
    this.expiresAt = this.d.now() + r.expires_in * 1000;
    this.user = r.user;
    this.permissions = r.permissions ?? {};
    this.schedule(Math.max(5_000, r.expires_in * 1000 - REFRESH_AHEAD_MS));
    this.setState('signed-in');
  }

  /** setUser updates the signed-in user (after editing one's own profile). */
  setUser(u: User) {
    this.user = u;
    this.emit();
  }

  private schedule(ms: number) {
    if (this.timer !== null) this.d.clearTimer(this.timer);
    this.timer = this.d.setTimer(() => {
      this.timer = null;
      if (this.state === 'signed-in') void this.refresh();
    }, ms);
  }

  private clear() {
    this.accessToken = null;
    this.expiresAt = 0;
    if (this.timer !== null) this.d.clearTimer(this.timer);
    this.timer = null;
  }
}

export async function errorFrom(res: Response): Promise<ApiError> {
  let info = null;
  try {
    const body = (await res.json()) as { error?: ApiError['info'] };
    info = body?.error ?? null;
  } catch {
    // not JSON
  }
  return new ApiError(res.status, info);
}

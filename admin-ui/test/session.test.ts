import { describe, expect, it, vi } from 'vitest';
import { Client, buildURL } from '../src/api/client';
import { ApiError } from '../src/api/errors';
import { leaseLock, type WithLock } from '../src/lib/lock';
import { Session } from '../src/lib/session';
import { MemoryStorage } from './helpers';

const user = { id: 1, email: 'a@example.com', name: 'A', slug: 'a', role: 'admin', disabled: false, has_password: true, created_at: '', updated_at: '' };
const json = (status: number, body: unknown) => new Response(body === null ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A fake folio auth server with the real rotation rule: each refresh token
 * works once; presenting a rotated one ends the session. The cookie jar is
 * shared, like a browser's between tabs; the cookie is read when a request
 * is sent and written when its answer arrives.
 */
function fakeServer({ latency = 5 } = {}) {
  let n = 0;
  const jar = { cookie: 'r0' };
  let valid = 'r0';
  let ended = false;
  let access = '';
  const calls: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fetch = async (url: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const path = String(url);
    calls.push(`${init?.method ?? 'GET'} ${path}`);
    const cookie = jar.cookie;
    if (path === '/api/v1/auth/refresh') {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await sleep(latency);
      inFlight--;
      if (ended || cookie !== valid) {
        ended = true; // reuse detection
        return json(401, { error: { code: 'unauthenticated', message: 'no', details: [] } });
      }
      valid = jar.cookie = `r${++n}`;
      access = `a${n}`;
      return json(200, { access_token: access, token_type: 'Bearer', expires_in: 900, user });
    }
    if (path === '/api/v1/auth/login') {
      ended = false;
      valid = jar.cookie = `r${++n}`;
      access = `a${n}`;
      return json(200, { access_token: access, token_type: 'Bearer', expires_in: 900, user });
    }
    const auth = new Headers(init?.headers).get('Authorization');
    if (auth !== `Bearer ${access}` || ended) return json(401, { error: { code: 'unauthenticated', message: 'no', details: [] } });
    return json(200, { data: { ok: true } });
  };
  return {
    fetch: fetch as typeof globalThis.fetch,
    calls,
    jar,
    get ended() {
      return ended;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    expireAccess() {
      access = 'expired';
    },
    endSession() {
      ended = true;
    },
  };
}

/** A lock like navigator.locks: one holder at a time per name, shared by "tabs". */
function mutex(): WithLock {
  const tails = new Map<string, Promise<unknown>>();
  return (name, fn) => {
    const prev = tails.get(name) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    tails.set(name, run.catch(() => {}));
    return run;
  };
}

const noTimers = { setTimer: () => null, clearTimer: () => {} };

describe('Session refresh', () => {
  it('is single-flight: many callers, one refresh', async () => {
    const srv = fakeServer();
    const s = new Session({ fetch: srv.fetch, lock: mutex(), ...noTimers });
    const results = await Promise.all([s.refresh(), s.refresh(), s.token(), s.token(), s.refresh()]);
    expect(results.slice(0, 2)).toEqual(['ok', 'ok']);
    expect(srv.calls.filter((c) => c.endsWith('/refresh'))).toHaveLength(1);
    expect(s.state).toBe('signed-in');
    expect(srv.ended).toBe(false);
  });

  it('two tabs refreshing at once take turns and keep the session', async () => {
    const srv = fakeServer({ latency: 20 });
    const lock = mutex();
    const tab1 = new Session({ fetch: srv.fetch, lock, ...noTimers });
    const tab2 = new Session({ fetch: srv.fetch, lock, ...noTimers });
    expect(await Promise.all([tab1.refresh(), tab2.refresh()])).toEqual(['ok', 'ok']);
    expect(srv.maxInFlight).toBe(1);
    expect(srv.ended).toBe(false);
  });

  it('without the lock the same race would end the session (the fake server is honest)', async () => {
    const srv = fakeServer({ latency: 20 });
    const none: WithLock = (_n, fn) => fn();
    const tab1 = new Session({ fetch: srv.fetch, lock: none, ...noTimers });
    const tab2 = new Session({ fetch: srv.fetch, lock: none, ...noTimers });
    const r = await Promise.all([tab1.refresh(), tab2.refresh()]);
    expect(r).toContain('denied');
    expect(srv.ended).toBe(true);
  });

  it('the localStorage lease works as a lock between tabs too', async () => {
    const srv = fakeServer({ latency: 20 });
    const storage = new MemoryStorage();
    const tab1 = new Session({ fetch: srv.fetch, lock: leaseLock(storage), ...noTimers });
    const tab2 = new Session({ fetch: srv.fetch, lock: leaseLock(storage), ...noTimers });
    expect(await Promise.all([tab1.refresh(), tab2.refresh()])).toEqual(['ok', 'ok']);
    expect(srv.maxInFlight).toBe(1);
    expect(srv.ended).toBe(false);
  });

  it('start: no session means signed out; an unreachable server means offline', async () => {
    const srv = fakeServer();
    srv.endSession();
    const s = new Session({ fetch: srv.fetch, lock: mutex(), ...noTimers });
    await s.start();
    expect(s.state).toBe('signed-out');
    const off = new Session({ fetch: () => Promise.reject(new TypeError('down')), lock: mutex(), ...noTimers });
    await off.start();
    expect(off.state).toBe('offline');
  });

  it('refreshes a minute before the access token expires', async () => {
    const srv = fakeServer();
    const timers: Array<[() => void, number]> = [];
    const s = new Session({ fetch: srv.fetch, lock: mutex(), setTimer: (fn, ms) => timers.push([fn, ms]), clearTimer: () => {} });
    await s.refresh();
    expect(timers.at(-1)![1]).toBe(840_000);
    timers.at(-1)![0]();
    await sleep(20);
    expect(srv.calls.filter((c) => c.endsWith('/refresh'))).toHaveLength(2);
  });
});

describe('Client and 401', () => {
  it('a 401 refreshes once and retries once', async () => {
    const srv = fakeServer();
    const s = new Session({ fetch: srv.fetch, lock: mutex(), ...noTimers });
    await s.refresh();
    srv.expireAccess();
    const c = new Client(s, srv.fetch);
    const r = await c.call('get', '/api/v1/admin/stats', {});
    expect(r).toEqual({ data: { ok: true } });
    expect(srv.calls.filter((x) => x.endsWith('/refresh'))).toHaveLength(2);
  });

  it('when the session has ended, the call waits for the sign-in dialog and then goes through', async () => {
    const srv = fakeServer();
    const s = new Session({ fetch: srv.fetch, lock: mutex(), ...noTimers });
    await s.refresh();
    srv.endSession();
    const states: string[] = [];
    s.subscribe(() => states.push(s.state));
    const c = new Client(s, srv.fetch);
    const pending = c.call('get', '/api/v1/admin/stats', {});
    await vi.waitFor(() => expect(s.state).toBe('expired'));
    await s.login('a@example.com', 'pw'); // the user signs in in the dialog
    await expect(pending).resolves.toEqual({ data: { ok: true } });
    expect(states).toContain('expired');
    expect(s.state).toBe('signed-in');
  });

  it('signing out from the dialog fails the waiting call with a 401', async () => {
    const srv = fakeServer();
    const s = new Session({ fetch: srv.fetch, lock: mutex(), ...noTimers });
    await s.refresh();
    srv.endSession();
    const c = new Client(s, srv.fetch);
    const pending = c.call('get', '/api/v1/admin/stats', {});
    await vi.waitFor(() => expect(s.state).toBe('expired'));
    await s.logout();
    await expect(pending).rejects.toMatchObject({ status: 401 });
  });

  it('no answer at all is a network error (status 0), not a crash', async () => {
    const srv = fakeServer();
    const s = new Session({ fetch: srv.fetch, lock: mutex(), ...noTimers });
    await s.refresh();
    const c = new Client(s, () => Promise.reject(new TypeError('Failed to fetch')));
    const err = await c.call('get', '/api/v1/admin/stats', {}).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.network).toBe(true);
  });

  it('error answers keep their code, details and conflict facts', async () => {
    const s = new Session({ fetch: fakeServer().fetch, lock: mutex(), ...noTimers });
    const body = { error: { code: 'conflict', message: 'Someone saved.', details: [{ field: 'version', message: 'stale' }], current_version: 4, updated_by: { id: 2, name: 'Bo' }, updated_at: '2026-01-01T00:00:00Z' } };
    const c = new Client(s, async () => json(409, body));
    const err = await c.call('put', '/api/v1/admin/posts/{id}', { path: { id: 1 }, body: { title: 'x' }, auth: false }).catch((e) => e);
    expect(err.conflict).toBe(true);
    expect(err.info.current_version).toBe(4);
    expect(err.details[0].field).toBe('version');
  });
});

describe('buildURL', () => {
  it('fills path parameters and leaves out empty query values', () => {
    expect(buildURL('/api/v1/admin/posts/{id}/revisions/{rev}', { id: 3, rev: 9 }, { page: '2', q: '', x: undefined })).toBe('/api/v1/admin/posts/3/revisions/9?page=2');
    expect(buildURL('/a', {}, { q: 'a b&c' })).toBe('/a?q=a+b%26c');
    expect(() => buildURL('/a/{id}')).toThrow();
  });
});

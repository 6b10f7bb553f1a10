// One holder at a time for a named critical section, across the tabs of
// this origin: the Web Locks API where the browser has it (secure contexts),
// else a short lease in localStorage. Used so that two tabs never present the
// same refresh token (a reused refresh token ends the whole session).

export type WithLock = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

export function browserLock(): WithLock {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (locks?.request) {
    return (name, fn) => locks.request(name, () => fn()) as Promise<Awaited<ReturnType<typeof fn>>>;
  }
  if (typeof localStorage !== 'undefined') return leaseLock(localStorage);
  return (_name, fn) => fn();
}

interface Lease {
  owner: string;
  until: number;
}

/**
 * leaseLock is the fallback: a lease of at most `ttl` ms written to storage,
 * confirmed after a short pause (another tab writing at the same moment wins
 * or loses cleanly), released when fn settles.
 */
export function leaseLock(
  storage: Storage,
  opts: { ttl?: number; now?: () => number; sleep?: (ms: number) => Promise<void> } = {},
): WithLock {
  const ttl = opts.ttl ?? 10_000;
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const me = Math.random().toString(36).slice(2);
  return async (name, fn) => {
    const key = `folio:lock:${name}`;
    const read = (): Lease | null => {
      try {
        return JSON.parse(storage.getItem(key) ?? 'null') as Lease | null;
      } catch {
        return null;
      }
    };
    for (let i = 0; ; i++) {
      const cur = read();
      if (!cur || cur.until < now()) {
        storage.setItem(key, JSON.stringify({ owner: me, until: now() + ttl }));
        await sleep(30);
        if (read()?.owner === me) break;
      }
      await sleep(Math.min(50 * (i + 1), 500));
    }
    try {
      return await fn();
    } finally {
      if (read()?.owner === me) storage.removeItem(key);
    }
  };
}

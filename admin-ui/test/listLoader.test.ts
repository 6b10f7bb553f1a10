import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/errors';
import type { PageMeta } from '../src/api/types';
import { ListLoader, type ListPage } from '../src/lib/listLoader.svelte';
import { deferred } from './helpers';

type Q = { q: string; page: number };

/** A fetch whose answers the test gives, one call at a time, in any order. */
function server() {
  const calls: Array<{ query: Q; signal: AbortSignal; answer: (p: ListPage<string>) => void; fail: (e: unknown) => void }> = [];
  const fetch = (query: Q, signal: AbortSignal) => {
    const d = deferred<ListPage<string>>();
    calls.push({ query, signal, answer: d.resolve, fail: d.reject });
    return d.promise;
  };
  return { calls, fetch };
}

const meta = (page: number, total: number): PageMeta => {
  const pages = Math.ceil(total / 2);
  return { page, per_page: 2, total, total_pages: pages, next: page < pages ? page + 1 : null, prev: page > 1 ? page - 1 : null };
};
const abortError = () => new DOMException('The operation was aborted.', 'AbortError');

describe('ListLoader', () => {
  it('shows the answer, with its page facts, and says when it is loading', async () => {
    const s = server();
    const l = new ListLoader<Q, string>(s.fetch);
    expect([l.items, l.meta, l.loading, l.loaded, l.error]).toEqual([[], null, false, false, '']);

    const done = l.load({ q: 'go', page: 2 });
    expect(l.loading).toBe(true);
    expect(s.calls.map((c) => c.query)).toEqual([{ q: 'go', page: 2 }]);
    s.calls[0].answer({ data: ['c', 'd'], meta: meta(2, 4) });
    await done;
    expect(l.items).toEqual(['c', 'd']);
    expect(l.meta).toEqual(meta(2, 4));
    expect([l.loading, l.loaded, l.error]).toEqual([false, true, '']);
  });

  it('keeps meta null for a list that is not paged', async () => {
    const l = new ListLoader<null, string>(async () => ({ data: ['one token'] }));
    await l.load(null);
    expect(l.items).toEqual(['one token']);
    expect(l.meta).toBeNull();
  });

  it('aborts the load before when a new one starts', async () => {
    const s = server();
    const l = new ListLoader<Q, string>(s.fetch);
    const first = l.load({ q: 'a', page: 1 });
    const second = l.load({ q: 'ab', page: 1 });
    expect(s.calls[0].signal.aborted).toBe(true);
    expect(s.calls[1].signal.aborted).toBe(false);
    s.calls[0].fail(abortError()); // what fetch does when aborted
    await first;
    expect(l.error).toBe('');
    expect(l.loading).toBe(true); // the second one is still on its way
    s.calls[1].answer({ data: ['ab'], meta: meta(1, 1) });
    await second;
    expect(l.items).toEqual(['ab']);
    expect(l.loading).toBe(false);
  });

  it('shows only the latest answer when an older one arrives last', async () => {
    const s = server();
    const l = new ListLoader<Q, string>(s.fetch);
    const older = l.load({ q: '', page: 1 });
    const newer = l.load({ q: '', page: 2 });
    s.calls[1].answer({ data: ['page 2'], meta: meta(2, 3) });
    await newer;
    // A fetch that answers although it was aborted (the answer was already read).
    s.calls[0].answer({ data: ['page 1'], meta: meta(1, 3) });
    await older;
    expect(l.items).toEqual(['page 2']);
    expect(l.meta?.page).toBe(2);
    expect(l.loading).toBe(false);
  });

  it('does not show an older answer that arrives first, and keeps loading until the latest one', async () => {
    const s = server();
    const l = new ListLoader<Q, string>(s.fetch);
    const older = l.load({ q: 'x', page: 1 });
    const newer = l.load({ q: 'xy', page: 1 });
    s.calls[0].answer({ data: ['x1', 'x2'], meta: meta(1, 2) });
    await older;
    expect(l.items).toEqual([]);
    expect(l.meta).toBeNull();
    expect(l.loading).toBe(true);
    s.calls[1].answer({ data: ['xy'], meta: meta(1, 1) });
    await newer;
    expect(l.items).toEqual(['xy']);
    expect(l.loading).toBe(false);
  });

  it('says why a load failed, keeps the items it had, and clears the error on the next load', async () => {
    const s = server();
    const l = new ListLoader<Q, string>(s.fetch);
    let done = l.load({ q: '', page: 1 });
    s.calls[0].answer({ data: ['kept'], meta: meta(1, 1) });
    await done;

    done = l.load({ q: '', page: 2 });
    s.calls[1].fail(new ApiError(503, { code: 'unavailable', message: 'Folio is busy; try again in a moment.', details: [] }));
    await done;
    expect(l.error).toBe('Folio is busy; try again in a moment.');
    expect(l.items).toEqual(['kept']);
    expect([l.loading, l.loaded]).toEqual([false, true]);

    done = l.load({ q: '', page: 2 });
    expect(l.error).toBe('');
    s.calls[2].answer({ data: ['again'], meta: meta(2, 3) });
    await done;
    expect(l.items).toEqual(['again']);
    expect(l.error).toBe('');
  });

  it('describes errors that are not API errors too, and with the describer given', async () => {
    const l = new ListLoader<null, string>(async () => {
      throw new TypeError('Failed to parse');
    });
    await l.load(null);
    expect(l.error).toBe('Failed to parse');
    const m = new ListLoader<null, string>(
      async () => {
        throw new ApiError(0, null, 'offline');
      },
      (e) => `could not: ${(e as Error).message}`,
    );
    await m.load(null);
    expect(m.error).toBe('could not: offline');
  });

  it('ignores the error of a load that a newer one overtook', async () => {
    const s = server();
    const l = new ListLoader<Q, string>(s.fetch);
    const older = l.load({ q: 'a', page: 1 });
    const newer = l.load({ q: 'b', page: 1 });
    s.calls[0].fail(new ApiError(0, null, 'The server could not be reached.'));
    await older;
    expect(l.error).toBe('');
    expect(l.loading).toBe(true);
    s.calls[1].answer({ data: ['b'], meta: meta(1, 1) });
    await newer;
    expect([l.items, l.error, l.loading]).toEqual([['b'], '', false]);
  });

  it('does not take an AbortError of its own load for a failure', async () => {
    const l = new ListLoader<null, string>(async () => {
      throw abortError();
    });
    await l.load(null);
    expect([l.error, l.loading]).toEqual(['', false]);
  });

  it('reloads the last query, and does nothing before the first load', async () => {
    const s = server();
    const l = new ListLoader<Q, string>(s.fetch);
    await l.reload();
    expect(s.calls).toHaveLength(0);
    const done = l.load({ q: 'kept', page: 3 });
    s.calls[0].answer({ data: ['1'], meta: meta(3, 5) });
    await done;
    const again = l.reload();
    expect(s.calls[1].query).toEqual({ q: 'kept', page: 3 });
    s.calls[1].answer({ data: ['1', '2'], meta: meta(3, 6) });
    await again;
    expect(l.items).toEqual(['1', '2']);
  });

  it('abort stops the load under way, which then changes nothing', async () => {
    const s = server();
    const l = new ListLoader<Q, string>(s.fetch);
    const done = l.load({ q: '', page: 1 });
    l.abort();
    expect(s.calls[0].signal.aborted).toBe(true);
    expect(l.loading).toBe(false);
    s.calls[0].answer({ data: ['late'], meta: meta(1, 1) });
    await done;
    expect([l.items, l.meta, l.error, l.loaded]).toEqual([[], null, '', false]);
  });

  it('show puts a page fetched elsewhere on screen', () => {
    const l = new ListLoader<Q, string>(server().fetch);
    l.show({ data: ['polled'], meta: meta(1, 1) });
    expect(l.items).toEqual(['polled']);
    expect(l.meta).toEqual(meta(1, 1));
  });
});

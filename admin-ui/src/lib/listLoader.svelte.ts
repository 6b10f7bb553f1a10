// Loading the list a screen shows (entries, media, users, the audit log,
// the trash, deliveries, tokens, webhooks), latest only: the filters in the
// URL change faster than the server answers, and an older answer arriving
// last must not replace a newer one.
import { describe } from '../api/errors';
import type { PageMeta } from '../api/types';

/** A page of a list as the API answers it: the items, and the page facts of a paged list. */
export interface ListPage<T> {
  data: T[];
  meta?: PageMeta | null;
}

/** Fetches the list for a query; it should give up (reject with an AbortError) when signal aborts. */
export type ListFetch<Q, T> = (query: Q, signal: AbortSignal) => Promise<ListPage<T>>;

const aborted = (e: unknown) => (e as Error | null)?.name === 'AbortError';

/**
 * ListLoader holds a list and loads it for a query. A load aborts the one
 * before it, and only the latest load's answer or error is shown, whatever
 * order the answers arrive in. The items on screen stay while the next load
 * runs (loading is true) and after an error (error says what went wrong).
 */
export class ListLoader<Q, T> {
  items = $state<T[]>([]);
  /** The page facts of the last answer; null before it, and for lists that are not paged. */
  meta = $state<PageMeta | null>(null);
  loading = $state(false);
  /** Why the latest load failed, for people; '' when it did not. */
  error = $state('');
  /** Whether a load has finished, with an answer or an error. */
  loaded = $state(false);

  #fetch: ListFetch<Q, T>;
  #describe: (e: unknown) => string;
  #current: AbortController | null = null;
  #last: { query: Q } | null = null;

  constructor(fetch: ListFetch<Q, T>, describeError: (e: unknown) => string = describe) {
    this.#fetch = fetch;
    this.#describe = describeError;
  }

  /** load fetches the list for query; it resolves when that load is over (shown, failed or overtaken). */
  async load(query: Q): Promise<void> {
    this.#current?.abort();
    const c = new AbortController();
    this.#current = c;
    this.#last = { query };
    this.loading = true;
    this.error = '';
    try {
      const page = await this.#fetch(query, c.signal);
      if (this.#current !== c) return;
      this.items = page.data;
      this.meta = page.meta ?? null;
    } catch (e) {
      if (this.#current !== c || aborted(e)) return;
      this.error = this.#describe(e);
    } finally {
      if (this.#current === c) {
        this.#current = null;
        this.loading = false;
        this.loaded = true;
      }
    }
  }

  /** reload loads the last query again (after a change, or to try again); nothing before the first load. */
  reload(): Promise<void> {
    return this.#last ? this.load(this.#last.query) : Promise.resolve();
  }

  /** show puts items fetched elsewhere on screen (a poll of the same list). */
  show(page: ListPage<T>): void {
    this.items = page.data;
    this.meta = page.meta ?? null;
  }

  /** abort stops the load under way, which then shows nothing (when the screen closes). */
  abort(): void {
    this.#current?.abort();
    this.#current = null;
    this.loading = false;
  }
}

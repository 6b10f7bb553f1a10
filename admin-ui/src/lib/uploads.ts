// Uploads to the media library: a queue that sends a few files at a time,
// with each file's progress and outcome, and error texts people can act
// on. The sending itself is injected (XMLHttpRequest in the browser, see
// src/api/upload.ts), so the queue is plain, testable logic.
import { ApiError, describe } from '../api/errors';
import type { MediaItem } from '../api/types';
import { formatBytes } from './siteConfig';

export type UploadState = 'waiting' | 'uploading' | 'processing' | 'done' | 'failed' | 'cancelled';

export interface UploadEntry {
  key: number;
  name: string;
  size: number;
  /** Bytes of the request sent so far, of total (the multipart body: a little more than the file). */
  loaded: number;
  total: number;
  state: UploadState;
  error: string;
  item: MediaItem | null;
  /** The same bytes were in the library already: this is that item. */
  existed: boolean;
}

export interface FileLike {
  name: string;
  size: number;
}

export interface Sent {
  item: MediaItem;
  created: boolean;
}

export type Sender<F> = (file: F, progress: (loaded: number, total: number) => void, signal: AbortSignal) => Promise<Sent>;

export interface QueueOptions<F> {
  send: Sender<F>;
  /** The largest file the server takes (GET /admin/config max_upload), when known. */
  limit?: () => number | null;
  /** How many files go at once. */
  concurrency?: number;
  onChange: (entries: UploadEntry[]) => void;
  /** Called once per file that arrived in the library. */
  onUploaded?: (e: UploadEntry) => void;
}

/** percent is an entry's progress, 0–100 (100 only once the whole request is sent). */
export function percent(e: Pick<UploadEntry, 'loaded' | 'total' | 'state'>): number {
  if (e.state === 'done' || e.state === 'processing') return 100;
  if (e.total <= 0) return 0;
  return Math.min(99, Math.floor((e.loaded * 100) / e.total));
}

/** stateText says where an upload is, for people. */
export function stateText(e: UploadEntry): string {
  switch (e.state) {
    case 'waiting':
      return 'Waiting';
    case 'uploading':
      return `${percent(e)}% of ${formatBytes(e.size)}`;
    case 'processing':
      return 'Sent; making the smaller copies…';
    case 'done':
      return e.existed ? 'Already in the library: here it is' : 'Uploaded';
    case 'failed':
      return e.error;
    case 'cancelled':
      return 'Cancelled';
  }
}

/** tooLargeText explains a file over the limit. */
export function tooLargeText(name: string, size: number, limit: number | null): string {
  return limit
    ? `“${name}” is too large (${formatBytes(size)}): the limit is ${formatBytes(limit)}.`
    : `“${name}” is larger than the server's upload limit.`;
}

/** uploadErrorText explains why a file was refused: too large (413), not a type folio takes (415), invalid (422)… */
export function uploadErrorText(err: unknown, file: FileLike, limit: number | null): string {
  const name = file.name;
  if (err instanceof ApiError) {
    if (err.status === 413) return tooLargeText(name, file.size, limit);
    // A server refusing an oversized body may close the connection before the browser reads its answer.
    if (err.network && limit && file.size > limit) return tooLargeText(name, file.size, limit);
    if (err.network) return `“${name}” could not be sent: the server could not be reached. Check your connection and try again.`;
    if (err.status === 415) return `“${name}” cannot be uploaded: ${err.message || 'this type of file is not accepted.'} Accepted: JPEG, PNG, GIF, WebP and PDF.`;
    if (err.status === 422) {
      const why = err.details.length ? err.details.map((d) => d.message).join('; ') : err.message;
      return `“${name}” was refused: ${why}`;
    }
    if (err.status === 403) return `“${name}”: your role may not upload files.`;
  }
  return `“${name}” could not be uploaded: ${describe(err)}`;
}

export class UploadQueue<F extends FileLike = File> {
  private list: UploadEntry[] = [];
  private files = new Map<number, F>();
  private aborts = new Map<number, AbortController>();
  private nextKey = 1;
  private running = 0;

  constructor(private o: QueueOptions<F>) {}

  get entries(): UploadEntry[] {
    return this.list.map((e) => ({ ...e }));
  }

  /** busy: is any file waiting or on its way? */
  get busy(): boolean {
    return this.list.some((e) => e.state === 'waiting' || e.state === 'uploading' || e.state === 'processing');
  }

  /** add queues files; a file that is empty or over the limit fails at once, without a request. */
  add(files: Iterable<F>): number[] {
    const keys: number[] = [];
    const limit = this.o.limit?.() ?? null;
    for (const f of files) {
      const e: UploadEntry = { key: this.nextKey++, name: f.name, size: f.size, loaded: 0, total: f.size, state: 'waiting', error: '', item: null, existed: false };
      if (f.size === 0) {
        e.state = 'failed';
        e.error = `“${f.name}” is empty.`;
      } else if (limit !== null && f.size > limit) {
        e.state = 'failed';
        e.error = tooLargeText(f.name, f.size, limit);
      }
      this.files.set(e.key, f);
      this.list.push(e);
      keys.push(e.key);
    }
    this.changed();
    this.pump();
    return keys;
  }

  cancel(key: number) {
    const e = this.find(key);
    if (!e) return;
    if (e.state === 'waiting' || e.state === 'uploading' || e.state === 'processing') {
      this.aborts.get(key)?.abort();
      e.state = 'cancelled';
      this.changed();
    }
  }

  retry(key: number) {
    const e = this.find(key);
    if (!e || (e.state !== 'failed' && e.state !== 'cancelled')) return;
    const limit = this.o.limit?.() ?? null;
    if (e.size === 0 || (limit !== null && e.size > limit)) return; // it would fail the same way
    Object.assign(e, { state: 'waiting', error: '', loaded: 0 });
    this.changed();
    this.pump();
  }

  /** dismiss takes a finished entry off the list. */
  dismiss(key: number) {
    const e = this.find(key);
    if (!e || e.state === 'waiting' || e.state === 'uploading' || e.state === 'processing') return;
    this.list = this.list.filter((x) => x.key !== key);
    this.files.delete(key);
    this.changed();
  }

  clearFinished() {
    for (const e of [...this.list]) if (e.state === 'done' || e.state === 'cancelled') this.dismiss(e.key);
  }

  private find(key: number) {
    return this.list.find((e) => e.key === key);
  }

  private changed() {
    this.o.onChange(this.entries);
  }

  private pump() {
    const max = Math.max(1, this.o.concurrency ?? 2);
    while (this.running < max) {
      const e = this.list.find((x) => x.state === 'waiting');
      if (!e) return;
      void this.run(e);
    }
  }

  private async run(e: UploadEntry) {
    const file = this.files.get(e.key)!;
    const c = new AbortController();
    this.aborts.set(e.key, c);
    this.running++;
    e.state = 'uploading';
    e.loaded = 0;
    this.changed();
    try {
      const r = await this.o.send(
        file,
        (loaded, total) => {
          if (e.state !== 'uploading' && e.state !== 'processing') return;
          e.loaded = loaded;
          e.total = total;
          e.state = total > 0 && loaded >= total ? 'processing' : 'uploading';
          this.changed();
        },
        c.signal,
      );
      if ((e.state as UploadState) === 'cancelled') return;
      e.state = 'done';
      e.item = r.item;
      e.existed = !r.created;
      e.loaded = e.total;
      this.changed();
      this.o.onUploaded?.({ ...e });
    } catch (err) {
      if ((e.state as UploadState) === 'cancelled' || (err as Error)?.name === 'AbortError') {
        e.state = 'cancelled';
      } else {
        e.state = 'failed';
        e.error = uploadErrorText(err, file, this.o.limit?.() ?? null);
      }
      this.changed();
    } finally {
      this.aborts.delete(e.key);
      this.running--;
      this.pump();
    }
  }
}

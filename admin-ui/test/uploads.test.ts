import { describe, expect, it } from 'vitest';
import { ApiError, networkError } from '../src/api/errors';
import type { MediaItem } from '../src/api/types';
import { percent, stateText, uploadErrorText, UploadQueue, type Sent, type UploadEntry } from '../src/lib/uploads';
import { deferred, flush } from './helpers';

const MiB = 1 << 20;
const file = (name: string, size: number) => ({ name, size });
const item = (id: number, over: Partial<MediaItem> = {}): MediaItem => ({
  id,
  url: `http://x/media/originals/${id}.png`,
  filename: `f${id}.png`,
  mime: 'image/png',
  type: 'image',
  size: 100,
  width: 10,
  height: 10,
  alt: '',
  caption: '',
  sha256: 'a'.repeat(64),
  variants: [],
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  ...over,
});

/** A sender whose requests the test answers one by one, reporting progress in between. */
function harness(limit: number | null = 10 * MiB, concurrency = 2) {
  const calls: Array<{ name: string; progress: (l: number, t: number) => void; signal: AbortSignal; d: ReturnType<typeof deferred<Sent>> }> = [];
  const snapshots: UploadEntry[][] = [];
  const uploaded: UploadEntry[] = [];
  const q = new UploadQueue<{ name: string; size: number }>({
    send: (f, progress, signal) => {
      const d = deferred<Sent>();
      calls.push({ name: f.name, progress, signal, d });
      signal.addEventListener('abort', () => d.reject(new DOMException('aborted', 'AbortError')));
      return d.promise;
    },
    limit: () => limit,
    concurrency,
    onChange: (l) => snapshots.push(l),
    onUploaded: (e) => uploaded.push(e),
  });
  const last = () => snapshots[snapshots.length - 1];
  return { q, calls, snapshots, uploaded, last };
}

describe('the upload queue', () => {
  it('shows each file’s progress, then the item', async () => {
    const h = harness();
    h.q.add([file('cat.png', 1000)]);
    expect(h.last()[0]).toMatchObject({ name: 'cat.png', state: 'uploading', loaded: 0 });
    h.calls[0].progress(250, 1100);
    expect(h.last()[0]).toMatchObject({ state: 'uploading', loaded: 250, total: 1100 });
    expect(percent(h.last()[0])).toBe(22);
    expect(stateText(h.last()[0])).toBe('22% of 1000 bytes');
    h.calls[0].progress(1100, 1100);
    expect(h.last()[0].state).toBe('processing'); // sent; the server makes the variants
    expect(percent(h.last()[0])).toBe(100);
    h.calls[0].d.resolve({ item: item(7), created: true });
    await flush();
    await flush();
    expect(h.last()[0]).toMatchObject({ state: 'done', existed: false });
    expect(h.last()[0].item?.id).toBe(7);
    expect(h.uploaded.map((e) => e.item?.id)).toEqual([7]);
    expect(h.q.busy).toBe(false);
  });

  it('never reports 100% before the whole request is sent', () => {
    expect(percent({ loaded: 999, total: 1000, state: 'uploading' })).toBe(99);
    expect(percent({ loaded: 0, total: 0, state: 'uploading' })).toBe(0);
  });

  it('sends two at a time, the rest wait their turn', async () => {
    const h = harness();
    h.q.add([file('a.png', 10), file('b.png', 10), file('c.png', 10)]);
    expect(h.calls.map((c) => c.name)).toEqual(['a.png', 'b.png']);
    expect(h.last().map((e) => e.state)).toEqual(['uploading', 'uploading', 'waiting']);
    h.calls[0].d.resolve({ item: item(1), created: true });
    await flush();
    await flush();
    expect(h.calls.map((c) => c.name)).toEqual(['a.png', 'b.png', 'c.png']);
  });

  it('refuses a file over the limit, and an empty one, without sending them', () => {
    const h = harness(10 * MiB);
    h.q.add([file('huge.jpg', 12.5 * MiB), file('empty.png', 0), file('ok.png', 5)]);
    expect(h.calls.map((c) => c.name)).toEqual(['ok.png']);
    const [huge, empty] = h.last();
    expect(huge.state).toBe('failed');
    expect(huge.error).toBe('“huge.jpg” is too large (12.5 MiB): the limit is 10 MiB.');
    expect(empty.error).toBe('“empty.png” is empty.');
    h.q.retry(huge.key); // would fail the same way
    expect(h.calls.length).toBe(1);
  });

  it('says when the bytes were in the library already (200, not 201)', async () => {
    const h = harness();
    h.q.add([file('again.png', 10)]);
    h.calls[0].d.resolve({ item: item(3), created: false });
    await flush();
    await flush();
    expect(h.last()[0].existed).toBe(true);
    expect(stateText(h.last()[0])).toBe('Already in the library: here it is');
  });

  it('explains what the server refused, and can try again', async () => {
    const h = harness();
    h.q.add([file('page.svg', 10)]);
    h.calls[0].d.reject(new ApiError(415, { code: 'unsupported_media_type', message: 'The file type is not recognised.', details: [] }));
    await flush();
    await flush();
    expect(h.last()[0].state).toBe('failed');
    expect(h.last()[0].error).toMatch(/^“page.svg” cannot be uploaded: The file type is not recognised\./);
    h.q.retry(h.last()[0].key);
    expect(h.calls.length).toBe(2);
    expect(h.last()[0].state).toBe('uploading');
  });

  it('cancels an upload in flight', async () => {
    const h = harness();
    const [key] = h.q.add([file('slow.png', 10)]);
    h.q.cancel(key);
    expect(h.calls[0].signal.aborted).toBe(true);
    await flush();
    await flush();
    expect(h.last()[0].state).toBe('cancelled');
    expect(h.uploaded).toEqual([]);
    h.q.clearFinished();
    expect(h.q.entries).toEqual([]);
  });
});

describe('upload error texts', () => {
  const f = file('photo.jpg', 12 * MiB);
  it('413: too large, with the limit from the settings', () => {
    expect(uploadErrorText(new ApiError(413, { code: 'payload_too_large', message: 'The upload is larger than the limit.', details: [] }), f, 10 * MiB)).toBe(
      '“photo.jpg” is too large (12 MiB): the limit is 10 MiB.',
    );
    expect(uploadErrorText(new ApiError(413, null), f, null)).toBe('“photo.jpg” is larger than the server\'s upload limit.');
  });

  it('a connection closed on an oversized file is the size, not the network', () => {
    expect(uploadErrorText(networkError(new Error('reset')), f, 10 * MiB)).toMatch(/too large/);
    expect(uploadErrorText(networkError(new Error('reset')), file('small.jpg', 10), 10 * MiB)).toMatch(/could not be sent/);
  });

  it('422: the field messages', () => {
    const e = new ApiError(422, { code: 'validation_failed', message: 'Some fields are not valid.', details: [{ field: 'file', message: 'is over 50 megapixels' }] });
    expect(uploadErrorText(e, f, 10 * MiB)).toBe('“photo.jpg” was refused: is over 50 megapixels');
  });

  it('403: the role', () => {
    expect(uploadErrorText(new ApiError(403, { code: 'forbidden', message: 'no', details: [] }), f, null)).toMatch(/your role may not upload/);
  });
});

import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/errors';
import { mediaUploader, UPLOAD_PATH, type XhrLike } from '../src/api/upload';

class FakeXhr implements XhrLike {
  static made: FakeXhr[] = [];
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: FormData | null = null;
  status = 0;
  responseText = '';
  aborted = false;
  upload: XhrLike['upload'] = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  constructor() {
    FakeXhr.made.push(this);
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(k: string, v: string) {
    this.headers[k] = v;
  }
  send(body: FormData) {
    this.body = body;
  }
  abort() {
    this.aborted = true;
    this.onabort?.();
  }
  answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const item = { id: 5, url: 'u', filename: 'a.png' };

function auth(tokens: string[], refreshOk = true) {
  const calls: string[] = [];
  return {
    calls,
    token: async () => (calls.push('token'), tokens.shift() ?? 'tok'),
    unauthorized: async () => (calls.push('refresh'), refreshOk),
    reauthenticate: async () => (calls.push('dialog'), false),
  };
}

describe('uploading with XMLHttpRequest', () => {
  it('sends multipart with the token and reports upload progress', async () => {
    FakeXhr.made = [];
    const progress: Array<[number, number]> = [];
    const send = mediaUploader(auth(['t1']), () => new FakeXhr());
    const file = new File([new Uint8Array(2000)], 'a.png', { type: 'image/png' });
    const p = send(file, (l, t) => progress.push([l, t]), new AbortController().signal);
    await tick();
    const x = FakeXhr.made[0];
    expect([x.method, x.url]).toEqual(['POST', UPLOAD_PATH]);
    expect(x.headers.Authorization).toBe('Bearer t1');
    expect((x.body!.get('file') as File).name).toBe('a.png');
    x.upload.onprogress!({ loaded: 1000, total: 2200, lengthComputable: true });
    x.upload.onprogress!({ loaded: 2200, total: 2200, lengthComputable: true });
    x.answer(201, { data: item });
    await expect(p).resolves.toEqual({ item, created: true });
    expect(progress).toEqual([
      [1000, 2200],
      [2200, 2200],
    ]);
  });

  it('200 means the same bytes were uploaded before', async () => {
    FakeXhr.made = [];
    const p = mediaUploader(auth([]), () => new FakeXhr())(new File(['x'], 'b.png'), () => {}, new AbortController().signal);
    await tick();
    FakeXhr.made[0].answer(200, { data: item });
    await expect(p).resolves.toEqual({ item, created: false });
  });

  it('an error answer is an ApiError with the server’s code', async () => {
    FakeXhr.made = [];
    const p = mediaUploader(auth([]), () => new FakeXhr())(new File(['x'], 'c.svg'), () => {}, new AbortController().signal);
    await tick();
    FakeXhr.made[0].answer(415, { error: { code: 'unsupported_media_type', message: 'Not a type folio takes.', details: [] } });
    const err = await p.catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect([err.status, err.code, err.message]).toEqual([415, 'unsupported_media_type', 'Not a type folio takes.']);
  });

  it('a 401 refreshes the session once and sends the file again', async () => {
    FakeXhr.made = [];
    const a = auth(['old', 'new']);
    const progress: Array<[number, number]> = [];
    const p = mediaUploader(a, () => new FakeXhr())(new File(['xyz'], 'd.png'), (l, t) => progress.push([l, t]), new AbortController().signal);
    await tick();
    FakeXhr.made[0].answer(401, { error: { code: 'unauthorized', message: 'expired', details: [] } });
    await tick();
    expect(FakeXhr.made.length).toBe(2);
    expect(FakeXhr.made[1].headers.Authorization).toBe('Bearer new');
    expect(progress).toEqual([[0, 3]]); // the bar starts again
    FakeXhr.made[1].answer(201, { data: item });
    await expect(p).resolves.toMatchObject({ created: true });
    expect(a.calls).toEqual(['token', 'refresh', 'token']);
  });

  it('cancelling aborts the request', async () => {
    FakeXhr.made = [];
    const c = new AbortController();
    const p = mediaUploader(auth([]), () => new FakeXhr())(new File(['x'], 'e.png'), () => {}, c.signal);
    await tick();
    c.abort();
    const err = await p.catch((e) => e);
    expect(err.name).toBe('AbortError');
    expect(FakeXhr.made[0].aborted).toBe(true);
  });

  it('no answer at all is a network error', async () => {
    FakeXhr.made = [];
    const p = mediaUploader(auth([]), () => new FakeXhr())(new File(['x'], 'f.png'), () => {}, new AbortController().signal);
    await tick();
    FakeXhr.made[0].onerror!();
    const err = await p.catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.network).toBe(true);
  });
});

// Uploading a file to the media library with real progress: fetch cannot
// report how much of a request body is sent, XMLHttpRequest's upload
// events can. Signed in like every other call (a 401 refreshes once, then
// the sign-in dialog, then the upload starts again).
import { ApiError, networkError, type ErrorInfo } from './errors';
import type { MediaItem } from './types';
import type { Sender } from '../lib/uploads';

export const UPLOAD_PATH = '/api/v1/admin/media';

/** The part of XMLHttpRequest an upload uses (a fake in the unit tests). */
export interface XhrLike {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: FormData): void;
  abort(): void;
  readonly status: number;
  readonly responseText: string;
  upload: { onprogress: ((e: { loaded: number; total: number; lengthComputable: boolean }) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
}

export interface UploadAuth {
  token(): Promise<string | null>;
  unauthorized(): Promise<boolean>;
  reauthenticate(): Promise<boolean>;
}

interface Reply {
  status: number;
  text: string;
}

function abortError(): Error {
  return new DOMException('The upload was cancelled.', 'AbortError');
}

function sendOnce(
  makeXhr: () => XhrLike,
  file: Blob & { name: string },
  token: string | null,
  progress: (loaded: number, total: number) => void,
  signal: AbortSignal,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortError());
    const xhr = makeXhr();
    const onAbort = () => xhr.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const done = () => signal.removeEventListener('abort', onAbort);
    xhr.open('POST', UPLOAD_PATH);
    xhr.setRequestHeader('Accept', 'application/json');
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => progress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      done();
      resolve({ status: xhr.status, text: xhr.responseText });
    };
    xhr.onerror = () => {
      done();
      reject(networkError(new Error('upload failed')));
    };
    xhr.onabort = () => {
      done();
      reject(abortError());
    };
    const body = new FormData();
    body.append('file', file, file.name);
    xhr.send(body);
  });
}

/** mediaUploader makes the queue's Sender: POST /api/v1/admin/media as multipart/form-data. */
export function mediaUploader(auth: UploadAuth, makeXhr: () => XhrLike = () => new XMLHttpRequest() as unknown as XhrLike): Sender<Blob & { name: string }> {
  return async (file, progress, signal) => {
    let reply: Reply;
    for (let attempt = 0; ; attempt++) {
      reply = await sendOnce(makeXhr, file, await auth.token(), progress, signal);
      if (reply.status !== 401 || attempt >= 2) break;
      const again = attempt === 0 ? await auth.unauthorized() : await auth.reauthenticate();
      if (!again) break;
      progress(0, file.size); // starts again from the beginning
    }
    let body: { data?: MediaItem; error?: ErrorInfo } | null = null;
    try {
      body = reply.text ? JSON.parse(reply.text) : null;
    } catch {
      body = null;
    }
    if (reply.status < 200 || reply.status >= 300) throw new ApiError(reply.status, body?.error ?? null);
    if (!body?.data) throw new ApiError(reply.status, null, 'The server sent an answer that is not JSON.');
    return { item: body.data, created: reply.status === 201 };
  };
}

// The API client, typed from api/openapi.yaml (src/api/schema.d.ts): the
// path and method choose the operation, which fixes the path parameters,
// query, body and answer types.
import type { Session } from '../lib/session';
import { errorFrom } from '../lib/session';
import { ApiError, networkError } from './errors';
import type { paths } from './schema';

type Method = 'get' | 'put' | 'post' | 'patch' | 'delete';
type Op<P extends keyof paths, M extends keyof paths[P]> = paths[P][M];
type Responses<O> = O extends { responses: infer R } ? R : never;
type OkOf<R> = R[Extract<keyof R, 200 | 201 | 202 | 204>];

/** Ok is the JSON of an operation's success answer (null for 204). */
export type Ok<P extends keyof paths, M extends keyof paths[P]> = OkOf<Responses<Op<P, M>>>;

type PathOpt<O> = O extends { path: infer X } ? { path: X } : { path?: undefined };
type QueryOpt<O> = O extends { query: infer Q } ? { query?: Partial<Record<keyof Q, string | number | undefined>> } : { query?: undefined };
type BodyOpt<O> = 'requestBody' extends keyof O
  ? {} extends Pick<O, Extract<'requestBody', keyof O>>
    ? { body?: O[Extract<'requestBody', keyof O>] }
    : { body: O[Extract<'requestBody', keyof O>] }
  : { body?: undefined };

export type CallOptions<O> = PathOpt<O> &
  QueryOpt<O> &
  BodyOpt<O> & {
    headers?: Record<string, string>;
    signal?: AbortSignal;
    /** false for calls that need no access token (sign-in). */
    auth?: boolean;
    contentType?: string;
  };

export interface Answer<T> {
  data: T;
  status: number;
  headers: Headers;
}

export class Client {
  constructor(
    private session: Session,
    private fetchFn: typeof fetch = (...a) => fetch(...a),
  ) {}

  /** call performs one operation and returns its JSON (null for 204). */
  async call<P extends keyof paths, M extends Method & keyof paths[P]>(
    method: M,
    path: P,
    opts: CallOptions<Op<P, M>>,
  ): Promise<Ok<P, M>> {
    return (await this.answer(method, path, opts)).data;
  }

  /** answer is call with the status and headers too (ETag, Location). */
  async answer<P extends keyof paths, M extends Method & keyof paths[P]>(
    method: M,
    path: P,
    opts: CallOptions<Op<P, M>>,
  ): Promise<Answer<Ok<P, M>>> {
    const o = opts as {
      path?: Record<string, string | number>;
      query?: Record<string, string | number | undefined>;
      body?: unknown;
      headers?: Record<string, string>;
      signal?: AbortSignal;
      auth?: boolean;
      contentType?: string;
    };
    const url = buildURL(path as string, o.path, o.query);
    const auth = o.auth !== false;
    const send = async (): Promise<Response> => {
      const headers: Record<string, string> = { Accept: 'application/json', ...o.headers };
      if (o.body !== undefined) headers['Content-Type'] = o.contentType ?? 'application/json';
      if (auth) {
        const t = await this.session.token();
        if (t) headers.Authorization = `Bearer ${t}`;
      }
      try {
        return await this.fetchFn(url, {
          method: method.toUpperCase(),
          headers,
          body: o.body === undefined ? undefined : JSON.stringify(o.body),
          credentials: 'same-origin',
          signal: o.signal,
        });
      } catch (e) {
        if ((e as Error)?.name === 'AbortError') throw e;
        throw networkError(e);
      }
    };
    let res = await send();
    // 401: one refresh and one retry; then the sign-in dialog, and a retry once signed in.
    for (let attempt = 0; auth && res.status === 401 && attempt < 2; attempt++) {
      const again = attempt === 0 ? await this.session.unauthorized() : await this.session.reauthenticate();
      if (!again) break;
      res = await send();
    }
    // 304: the caller sent If-None-Match and nothing changed (no body).
    if (res.status === 304) return { data: null as Ok<P, M>, status: 304, headers: res.headers };
    if (!res.ok) throw await errorFrom(res);
    let data: unknown = null;
    if (res.status !== 204) {
      const text = await res.text();
      if (text) {
        try {
          data = JSON.parse(text);
        } catch {
          throw new ApiError(res.status, null, 'The server sent an answer that is not JSON.');
        }
      }
    }
    return { data: data as Ok<P, M>, status: res.status, headers: res.headers };
  }
}

export function buildURL(
  template: string,
  params?: Record<string, string | number>,
  query?: Record<string, string | number | undefined>,
): string {
  let url = template.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = params?.[k];
    if (v === undefined) throw new Error(`missing path parameter ${k} for ${template}`);
    return encodeURIComponent(String(v));
  });
  if (query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== '') q.set(k, String(v));
    }
    const s = q.toString();
    if (s) url += '?' + s;
  }
  return url;
}

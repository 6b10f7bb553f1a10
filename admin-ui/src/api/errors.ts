import type { ApiErrorBody, FieldDetail } from './types';

export type ErrorInfo = ApiErrorBody['error'];

/** ApiError is every failed API call: an error answer, or no answer at all (network). */
export class ApiError extends Error {
  readonly status: number; // 0 when the server could not be reached
  readonly code: string;
  readonly details: FieldDetail[];
  readonly info: ErrorInfo | null;

  constructor(status: number, info: ErrorInfo | null, message?: string) {
    super(message ?? info?.message ?? `Request failed (${status})`);
    this.name = 'ApiError';
    this.status = status;
    this.code = info?.code ?? (status === 0 ? 'network' : 'http_' + status);
    this.details = info?.details ?? [];
    this.info = info;
  }

  /** The server could not be reached (offline, refused, aborted by the network). */
  get network(): boolean {
    return this.status === 0;
  }

  /** A version conflict: someone saved since the version this edit is based on. */
  get conflict(): boolean {
    return this.status === 409 && this.code === 'conflict';
  }
}

export function networkError(cause: unknown): ApiError {
  const e = new ApiError(0, null, 'The server could not be reached. Check your connection.');
  (e as { cause?: unknown }).cause = cause;
  return e;
}

/** fieldErrors groups an error's details by field (422 validation_failed). */
export function fieldErrors(err: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (err instanceof ApiError) {
    for (const d of err.details) {
      out[d.field] = out[d.field] ? `${out[d.field]}; ${d.message}` : d.message;
    }
  }
  return out;
}

/** describe turns any thrown value into a sentence for people. */
export function describe(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 422 && err.details.length) {
      return `${err.message} ${err.details.map((d) => `${d.field}: ${d.message}`).join('; ')}`;
    }
    if (err.status === 403) return err.message || 'You are not allowed to do this.';
    return err.message;
  }
  if (err instanceof Error) return err.message;
  return String(err);
}

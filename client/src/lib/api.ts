/**
 * The REST client: same-origin fetch with the session cookie, JSON in and out, and the X-CSRF-Token
 * header that every cookie-authenticated state change needs (the token comes from login and /api/me).
 * Errors arrive as `{ error: { code, message, fields } }` and are thrown as ApiError.
 */
import type { ErrorBody, ErrorCode } from '@huntroom/shared';

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network',
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Builds an ApiError from a response status and its parsed body (whatever shape it has). */
export function toApiError(status: number, body: unknown): ApiError {
  const err = (body as { error?: Partial<ErrorBody> } | undefined)?.error;
  if (err && typeof err.code === 'string' && typeof err.message === 'string') {
    return new ApiError(status, err.code, err.message, err.fields ?? {});
  }
  return new ApiError(status, 'internal', `the server answered ${status}`);
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'network', 'cannot reach the server; check your connection');
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!res.ok) throw toApiError(res.status, parsed);
  return parsed as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body: unknown = {}) => api<T>('POST', path, body);
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body);
export const del = <T>(path: string, body?: unknown) => api<T>('DELETE', path, body);

/**
 * The REST client: same-origin fetch with the session cookie, JSON in and out, and the X-CSRF-Token
 * header that every cookie-authenticated state change needs (the token comes from login and /api/me).
 * Errors arrive as `{ error: { code, message, fields } }` and are thrown as ApiError.
 */
import type { ErrorBody, ErrorCode } from '@huntroom/shared';

let csrfToken: string | null = null;
let onSessionLost: (() => void) | undefined;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/**
 * Called when an API call answers 401 outside the login routes: the session expired or was ended
 * elsewhere, and the app should show the login form instead of a page of errors.
 */
export function setSessionLostHandler(handler: (() => void) | undefined): void {
  onSessionLost = handler;
}

/** For other transports (the socket handshake) that learn the session is gone. */
export function reportSessionLost(): void {
  onSessionLost?.();
}

/** The CSRF header a state change carries, for callers that read the answer themselves (a stream). */
export function csrfHeaders(): Record<string, string> {
  return csrfToken ? { 'x-csrf-token': csrfToken } : {};
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network',
    message: string,
    readonly fields: Record<string, string> = {},
    /** From Retry-After on a 429: how long until the server accepts the request again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Builds an ApiError from a response status, its parsed body (whatever shape) and Retry-After. */
export function toApiError(status: number, body: unknown, retryAfter?: string | null): ApiError {
  const seconds = retryAfter && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter) : undefined;
  const err = (body as { error?: Partial<ErrorBody> } | undefined)?.error;
  if (err && typeof err.code === 'string' && typeof err.message === 'string') {
    return new ApiError(status, err.code, err.message, err.fields ?? {}, seconds);
  }
  // A proxy's HTML error page or a truncated body: say what we know, never show the page itself.
  return new ApiError(status, status === 429 ? 'rate_limited' : 'internal', `the server answered ${status}`, {}, seconds);
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
  if (!res.ok) {
    const err = toApiError(res.status, parsed, res.headers.get('retry-after'));
    if (err.status === 401 && !path.startsWith('/api/auth/') && path !== '/api/me') onSessionLost?.();
    throw err;
  }
  return parsed as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body: unknown = {}) => api<T>('POST', path, body);
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body);
export const del = <T>(path: string, body?: unknown) => api<T>('DELETE', path, body);

import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, post, setCsrfToken, setSessionLostHandler, toApiError } from './api.js';

describe('toApiError', () => {
  it('keeps the server code, message and field errors', () => {
    const e = toApiError(400, { error: { code: 'validation_failed', message: 'Invalid input', fields: { name: 'required' } } });
    expect(e).toBeInstanceOf(ApiError);
    expect([e.status, e.code, e.message, e.fields]).toEqual([400, 'validation_failed', 'Invalid input', { name: 'required' }]);
  });

  it('falls back to a generic error for bodies that are not ours', () => {
    const e = toApiError(502, '<html>bad gateway</html>');
    expect([e.code, e.message]).toEqual(['internal', 'the server answered 502']);
  });

  it('reads Retry-After seconds on a rate limit', () => {
    const e = toApiError(429, { error: { code: 'rate_limited', message: 'too many login attempts' } }, '42');
    expect([e.code, e.retryAfterSeconds]).toEqual(['rate_limited', 42]);
    expect(toApiError(429, undefined, 'Wed, 21 Oct 2015 07:28:00 GMT').retryAfterSeconds).toBeUndefined();
  });
});

describe('api', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    setSessionLostHandler(undefined);
    setCsrfToken(null);
  });

  const respond = (status: number, body: unknown) =>
    vi.fn(async (_url: string, _init: RequestInit) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));

  it('sends JSON with the CSRF token on state changes and the cookie', async () => {
    const fetch = respond(201, { id: 'w1' });
    vi.stubGlobal('fetch', fetch);
    setCsrfToken('tok');
    await expect(post('/api/workspaces', { name: 'x' })).resolves.toEqual({ id: 'w1' });
    const init = fetch.mock.calls[0]![1];
    expect(init.credentials).toBe('same-origin');
    expect(init.headers).toMatchObject({ 'x-csrf-token': 'tok', 'content-type': 'application/json' });
    expect(init.body).toBe('{"name":"x"}');
  });

  it('reports a lost session on a 401 from a normal route, not from a wrong password', async () => {
    const lost = vi.fn();
    setSessionLostHandler(lost);
    vi.stubGlobal('fetch', respond(401, { error: { code: 'unauthenticated', message: 'log in first' } }));
    await expect(post('/api/auth/login', {})).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(lost).not.toHaveBeenCalled();
    await expect(post('/api/workspaces', {})).rejects.toBeInstanceOf(ApiError);
    expect(lost).toHaveBeenCalledTimes(1);
  });

  it('turns a failed fetch into a network ApiError', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))),
    );
    await expect(post('/api/workspaces', {})).rejects.toMatchObject({ status: 0, code: 'network' });
  });
});

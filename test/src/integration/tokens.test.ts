/**
 * Personal access tokens for scripts: shown once at creation, sent as `Authorization: Bearer`,
 * listable without the secret, revocable, and dead once revoked or expired.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { ApiClient, loginAs } from '../helpers/http.js';
import { connectSocket, raw } from '../helpers/foundation.js';

describe('personal access tokens', () => {
  let server: TestServer;
  let alice: ApiClient;
  let ben: ApiClient;
  let token: string;
  let tokenId: string;

  beforeAll(async () => {
    server = await startTestServer();
    alice = await loginAs(server.url, 'alice');
    ben = await loginAs(server.url, 'ben');
  });
  afterAll(() => server.stop());

  it('POST /api/tokens returns the token once, with its info', async () => {
    const res = await alice.post('/api/tokens', { name: 'nightly export', expiresInDays: 30 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'nightly export', lastUsedAt: null });
    expect(res.body.token).toMatch(/^hrt_[A-Za-z0-9_-]{40,}$/);
    expect(Date.parse(res.body.expiresAt) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    token = res.body.token;
    tokenId = res.body.id;
    // Only its hash is stored.
    const rows = await server.ctx.db.all<{ token_hash: string }>('SELECT token_hash FROM access_tokens WHERE id = ?', [tokenId]);
    expect(rows[0]!.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
  });

  it('lists the caller’s tokens without the secret; others do not see them', async () => {
    const list = await alice.get('/api/tokens');
    expect(list.status).toBe(200);
    expect(list.body.tokens).toHaveLength(1);
    expect(list.body.tokens[0]).toMatchObject({ id: tokenId, name: 'nightly export' });
    expect(JSON.stringify(list.body)).not.toContain(token);
    expect(JSON.stringify(list.body)).not.toContain(token.slice(4));
    expect((await ben.get('/api/tokens')).body.tokens).toEqual([]);
  });

  it('authenticates GET with Authorization: Bearer and records when it was used', async () => {
    const me = await raw(server.url, 'GET', '/api/me', { bearer: token });
    expect(me.status).toBe(200);
    expect(me.body.account.username).toBe('alice');
    expect(me.body.csrfToken).toBeNull();
    const ws = await raw(server.url, 'GET', '/api/workspaces', { bearer: token });
    expect(ws.status).toBe(200);
    expect(ws.body.workspaces.length).toBeGreaterThan(0);
    const listed = (await alice.get('/api/tokens')).body.tokens[0];
    expect(listed.lastUsedAt).not.toBeNull();
  });

  it('authenticates POST without any CSRF token', async () => {
    const res = await raw(server.url, 'POST', '/api/workspaces', { bearer: token, body: { name: 'from a script' } });
    expect(res.status).toBe(201);
    expect(res.body.role).toBe('owner');
  });

  it('a token cannot mint more tokens (they would outlive its revocation), but may list them', async () => {
    const res = await raw(server.url, 'POST', '/api/tokens', { bearer: token, body: { name: 'persistence' } });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    const list = await raw(server.url, 'GET', '/api/tokens', { bearer: token });
    expect(list.status).toBe(200);
    expect(list.body.tokens.map((t: { name: string }) => t.name)).toEqual(['nightly export']);
  });

  it('accepts the scheme case-insensitively but refuses anything that is not a live token with 401', async () => {
    const lower = await raw(server.url, 'GET', '/api/me', { headers: { authorization: `bearer ${token}` } });
    expect(lower.status).toBe(200);
    for (const header of ['Bearer', `Bearer ${token}x`, 'Bearer hrt_nope', `Basic ${token}`, `Bearer ${token} extra`, token]) {
      const res = await raw(server.url, 'GET', '/api/me', { headers: { authorization: header } });
      expect(res.status, header).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
    }
  });

  it('a bad Authorization header is not rescued by a valid cookie', async () => {
    const res = await raw(server.url, 'GET', '/api/me', { cookie: alice.cookie, headers: { authorization: 'Bearer hrt_forged' } });
    expect(res.status).toBe(401);
  });

  it('validates the body: a name is required, expiresInDays is a whole number of days', async () => {
    for (const body of [{}, { name: '' }, { name: '   ' }, { name: 'x', expiresInDays: 0 }, { name: 'x', expiresInDays: 1.5 }, { name: 'x', expiresInDays: '3' }]) {
      const res = await alice.post('/api/tokens', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.fields).toBeTypeOf('object');
    }
  });

  it('another account cannot revoke it (404, and it keeps working)', async () => {
    const res = await ben.delete(`/api/tokens/${tokenId}`);
    expect(res.status).toBe(404);
    expect((await raw(server.url, 'GET', '/api/me', { bearer: token })).status).toBe(200);
  });

  it('revoking makes it fail with 401 at once, and removes it from the list', async () => {
    const res = await alice.delete(`/api/tokens/${tokenId}`);
    expect(res.status).toBe(200);
    const me = await raw(server.url, 'GET', '/api/me', { bearer: token });
    expect(me.status).toBe(401);
    const post = await raw(server.url, 'POST', '/api/workspaces', { bearer: token, body: { name: 'after revoke' } });
    expect(post.status).toBe(401);
    expect((await alice.get('/api/tokens')).body.tokens).toEqual([]);
    expect((await alice.delete(`/api/tokens/${tokenId}`)).status).toBe(404);
    const names = (await alice.get('/api/workspaces')).body.workspaces.map((w: { name: string }) => w.name);
    expect(names).not.toContain('after revoke');
  });

  it('an expired token fails with 401', async () => {
    const created = await alice.post('/api/tokens', { name: 'short', expiresInDays: 1 });
    expect((await raw(server.url, 'GET', '/api/me', { bearer: created.body.token })).status).toBe(200);
    await server.ctx.db.run('UPDATE access_tokens SET expires_at = ? WHERE id = ?', [new Date(Date.now() - 1000).toISOString(), created.body.id]);
    expect((await raw(server.url, 'GET', '/api/me', { bearer: created.body.token })).status).toBe(401);
  });

  it('a token authenticates socket.io too; revoking it closes that socket and refuses new ones', async () => {
    const created = await alice.post('/api/tokens', { name: 'socket script' });
    const socket = await connectSocket(server.url, { auth: { token: created.body.token } });
    const other = await connectSocket(server.url, { cookie: alice.cookie });
    expect(socket.connected).toBe(true);
    // Revoking closes the connection the token opened (and only that one).
    const closed = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
    await alice.delete(`/api/tokens/${created.body.id}`);
    expect(await closed).toBe('io server disconnect');
    expect(other.connected).toBe(true);
    other.disconnect();
    await expect(connectSocket(server.url, { auth: { token: created.body.token } })).rejects.toThrow(/unauthenticated/);
  });
});

/**
 * Workspaces over REST: create, list only one's own, a non-member gets 404 (not 403), and only
 * owners rename or delete.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { ApiClient, loginAs } from '../helpers/http.js';
import { addMember, makeWorkspace, raw } from '../helpers/foundation.js';

describe('workspaces', () => {
  let server: TestServer;
  let alice: ApiClient;
  let ben: ApiClient;
  let liga: ApiClient;
  let wsId: string;

  beforeAll(async () => {
    server = await startTestServer();
    [alice, ben, liga] = await Promise.all([loginAs(server.url, 'alice'), loginAs(server.url, 'ben'), loginAs(server.url, 'liga')]);
  });
  afterAll(() => server.stop());

  it('creates a workspace and returns it with its id, defaults and the caller as owner', async () => {
    const res = await alice.post('/api/workspaces', { name: '  Operation BLUE  ', description: 'Hunt on the ministry LAN' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Operation BLUE', description: 'Hunt on the ministry LAN', defaultTlp: 'AMBER', role: 'owner' });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(res.body.createdAt)).not.toBeNaN();
    wsId = res.body.id;
    const got = await alice.get(`/api/workspaces/${wsId}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
    const members = (await alice.get(`/api/workspaces/${wsId}/members`)).body.members;
    expect(members).toHaveLength(1);
    expect(members[0]).toMatchObject({ username: 'alice', role: 'owner', team: { code: 'US' } });
  });

  it('accepts an explicit default TLP and refuses an unknown one', async () => {
    const ok = await alice.post('/api/workspaces', { name: 'Red op', defaultTlp: 'RED' });
    expect(ok.status).toBe(201);
    expect(ok.body.defaultTlp).toBe('RED');
    const bad = await alice.post('/api/workspaces', { name: 'x', defaultTlp: 'PURPLE' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toHaveProperty('defaultTlp');
  });

  it('refuses a missing or blank name with 400 and creates nothing', async () => {
    const before = (await alice.get('/api/workspaces')).body.workspaces.length;
    for (const body of [{}, { name: '' }, { name: '   ' }, { name: 7 }, { name: 'x'.repeat(201) }]) {
      const res = await alice.post('/api/workspaces', body);
      expect(res.status, JSON.stringify(body).slice(0, 40)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.fields).toHaveProperty('name');
    }
    expect((await alice.get('/api/workspaces')).body.workspaces.length).toBe(before);
  });

  it('lists only the workspaces the caller is a member of, with the caller’s role', async () => {
    const mine = (await alice.get('/api/workspaces')).body.workspaces as { id: string; role: string }[];
    expect(mine.map((w) => w.id)).toContain(wsId);
    expect(mine.every((w) => w.role === 'owner')).toBe(true);
    const bens = (await ben.get('/api/workspaces')).body.workspaces as { id: string; role: string; name: string }[];
    expect(bens.map((w) => w.id)).not.toContain(wsId);
    expect(bens).toHaveLength(1);
    expect(bens[0]).toMatchObject({ name: 'Operation NORTHERN LIGHT (demo)', role: 'hunter' });
  });

  it('answers a non-member exactly as for a workspace that does not exist: 404', async () => {
    const hidden = await ben.get(`/api/workspaces/${wsId}`);
    const missing = await ben.get('/api/workspaces/00000000-0000-0000-0000-000000000000');
    expect(hidden.status).toBe(404);
    expect(hidden.body).toEqual(missing.body);
    for (const path of [`/api/workspaces/${wsId}/members`, `/api/workspaces/${wsId}/audit`]) {
      expect((await ben.get(path)).status).toBe(404);
    }
    const patch = await ben.patch(`/api/workspaces/${wsId}`, { name: 'mine now' });
    expect(patch.status).toBe(404);
    const del = await ben.delete(`/api/workspaces/${wsId}`);
    expect(del.status).toBe(404);
    expect((await alice.get(`/api/workspaces/${wsId}`)).body.name).toBe('Operation BLUE');
  });

  it('a member sees it once added, with their role', async () => {
    await addMember(alice, wsId, 'ben', 'hunter');
    await addMember(alice, wsId, 'liga', 'observer');
    expect((await ben.get(`/api/workspaces/${wsId}`)).body.role).toBe('hunter');
    expect((await liga.get(`/api/workspaces/${wsId}`)).body.role).toBe('observer');
    expect((await liga.get('/api/workspaces')).body.workspaces.map((w: { id: string }) => w.id)).toContain(wsId);
  });

  it('only the owner may change name, description and default TLP (hunter and observer: 403, nothing changed)', async () => {
    for (const c of [ben, liga]) {
      const res = await c.patch(`/api/workspaces/${wsId}`, { name: 'hijacked' });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    expect((await alice.get(`/api/workspaces/${wsId}`)).body.name).toBe('Operation BLUE');
    const ok = await alice.patch(`/api/workspaces/${wsId}`, { name: 'Operation BLUE II', defaultTlp: 'GREEN' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ id: wsId, name: 'Operation BLUE II', description: 'Hunt on the ministry LAN', defaultTlp: 'GREEN', role: 'owner' });
    expect((await ben.get(`/api/workspaces/${wsId}`)).body.name).toBe('Operation BLUE II');
    const blank = await alice.patch(`/api/workspaces/${wsId}`, { name: '' });
    expect(blank.status).toBe(400);
    expect((await alice.get(`/api/workspaces/${wsId}`)).body.name).toBe('Operation BLUE II');
  });

  it('records creation and changes in the audit trail, which owners read', async () => {
    expect((await liga.get(`/api/workspaces/${wsId}/audit`)).status).toBe(403);
    const res = await alice.get(`/api/workspaces/${wsId}/audit`);
    expect(res.status).toBe(200);
    const actions = res.body.entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['workspace.created', 'workspace.updated', 'member.added']));
    const created = res.body.entries.find((e: { action: string }) => e.action === 'workspace.created');
    expect(created).toMatchObject({ actorUsername: 'alice', teamCode: 'US' });
  });

  it('only the owner may delete it; afterwards nobody sees it and its members are gone', async () => {
    for (const c of [ben, liga]) expect((await c.delete(`/api/workspaces/${wsId}`)).status).toBe(403);
    expect((await alice.get(`/api/workspaces/${wsId}`)).status).toBe(200);
    const del = await alice.delete(`/api/workspaces/${wsId}`);
    expect(del.status).toBe(200);
    for (const c of [alice, ben, liga]) {
      expect((await c.get(`/api/workspaces/${wsId}`)).status).toBe(404);
      expect((await c.get('/api/workspaces')).body.workspaces.map((w: { id: string }) => w.id)).not.toContain(wsId);
    }
    expect((await alice.delete(`/api/workspaces/${wsId}`)).status).toBe(404);
    const rows = await server.ctx.db.all('SELECT * FROM members WHERE workspace_id = ?', [wsId]);
    expect(rows).toEqual([]);
  });

  it('logged-out callers get 401 on every workspace route', async () => {
    const id = await makeWorkspace(alice);
    for (const [method, path] of [
      ['GET', '/api/workspaces'],
      ['POST', '/api/workspaces'],
      ['GET', `/api/workspaces/${id}`],
      ['PATCH', `/api/workspaces/${id}`],
      ['DELETE', `/api/workspaces/${id}`],
    ] as const) {
      const res = await raw(server.url, method, path, method === 'GET' || method === 'DELETE' ? {} : { body: { name: 'x' } });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
    expect((await alice.get(`/api/workspaces/${id}`)).status).toBe(200);
  });
});

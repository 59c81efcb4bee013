/**
 * The socket.io hub with real socket.io clients: authenticated at the handshake by the session
 * cookie (Origin checked), joined to a workspace only as a member, told of member changes, and cut
 * off from a workspace the moment its member is removed.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { ApiClient, loginAs } from '../helpers/http.js';
import { addMember, connectSocket, eventually, makeWorkspace, sleep } from '../helpers/foundation.js';

interface Seen {
  name: string;
  payload: any;
}

/** Records every event a socket receives, in order. */
function record(socket: Socket): Seen[] {
  const seen: Seen[] = [];
  socket.onAny((name: string, payload: unknown) => seen.push({ name, payload }));
  return seen;
}

describe('realtime hub', () => {
  let server: TestServer;
  let alice: ApiClient;
  let ben: ApiClient;
  let liga: ApiClient;
  const open: Socket[] = [];

  const connect = async (c: ApiClient, headers: Record<string, string> = {}) => {
    const s = await connectSocket(server.url, { cookie: c.cookie, headers });
    open.push(s);
    return s;
  };

  beforeAll(async () => {
    server = await startTestServer();
    [alice, ben, liga] = await Promise.all([loginAs(server.url, 'alice'), loginAs(server.url, 'ben'), loginAs(server.url, 'liga')]);
  });
  afterEach(() => {
    for (const s of open.splice(0)) s.disconnect();
  });
  afterAll(() => server.stop());

  it('refuses a connection without a session cookie, with a dead cookie, or from a foreign Origin', async () => {
    await expect(connectSocket(server.url)).rejects.toThrow(/unauthenticated/);
    await expect(connectSocket(server.url, { cookie: 'huntroom_session=forged' })).rejects.toThrow(/unauthenticated/);
    await expect(connectSocket(server.url, { cookie: alice.cookie, headers: { origin: 'https://evil.example' } })).rejects.toThrow();
    const ok = await connect(alice, { origin: server.url });
    expect(ok.connected).toBe(true);
  });

  it('refuses a cross-site handshake on the long-polling transport too', async () => {
    const path = '/socket.io/?EIO=4&transport=polling';
    const foreign = await fetch(server.url + path, { headers: { cookie: alice.cookie!, origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(await foreign.text()).not.toContain('"sid"');
    const same = await fetch(server.url + path, { headers: { cookie: alice.cookie!, origin: server.url } });
    expect(same.status).toBe(200);
    expect(await same.text()).toContain('"sid"');
  });

  it('a logged-out session can no longer connect', async () => {
    const temp = await loginAs(server.url, 'liga');
    const cookie = temp.cookie;
    expect((await temp.post('/api/auth/logout')).status).toBe(200);
    await expect(connectSocket(server.url, { cookie })).rejects.toThrow(/unauthenticated/);
  });

  it('logging out disconnects the sockets opened with that session, and only those', async () => {
    const ws = await makeWorkspace(alice);
    await addMember(alice, ws, 'liga', 'hunter');
    const session = await loginAs(server.url, 'liga');
    const doomed = await connect(session);
    const kept = await connect(liga);
    const seen = record(doomed);
    await doomed.emitWithAck('workspace:join', { workspaceId: ws });
    await kept.emitWithAck('workspace:join', { workspaceId: ws });
    const gone = new Promise<string>((resolve) => doomed.once('disconnect', (reason) => resolve(reason)));
    expect((await session.post('/api/auth/logout')).status).toBe(200);
    expect(await gone).toBe('io server disconnect');
    await addMember(alice, ws, 'ben', 'observer');
    await sleep(100);
    expect(seen.filter((e) => e.name === 'member:added')).toEqual([]);
    expect(kept.connected).toBe(true);
  });

  it('workspace:join acks ok for a member and not_found for a non-member or unknown id', async () => {
    const ws = await makeWorkspace(alice);
    const a = await connect(alice);
    const b = await connect(ben);
    expect(await a.emitWithAck('workspace:join', { workspaceId: ws })).toEqual({ ok: true });
    const refused = await b.emitWithAck('workspace:join', { workspaceId: ws });
    const unknown = await b.emitWithAck('workspace:join', { workspaceId: '00000000-0000-0000-0000-000000000000' });
    expect(refused).toEqual({ ok: false, error: { code: 'not_found', message: 'workspace not found' } });
    expect(unknown).toEqual(refused);
    const bad = await b.emitWithAck('workspace:join', { workspaceId: 42 });
    expect(bad.ok).toBe(false);
    expect(bad.error.code).toBe('validation_failed');
    const junk = await b.emitWithAck('workspace:join', 'not an object');
    expect(junk.ok).toBe(false);
  });

  it('a non-member that tried to join gets none of the workspace’s events', async () => {
    const ws = await makeWorkspace(alice);
    const a = await connect(alice);
    const b = await connect(ben);
    const bSeen = record(b);
    const aSeen = record(a);
    await a.emitWithAck('workspace:join', { workspaceId: ws });
    await b.emitWithAck('workspace:join', { workspaceId: ws });
    await addMember(alice, ws, 'liga', 'hunter');
    await eventually(() => expect(aSeen.map((e) => e.name)).toContain('member:added'));
    await sleep(100);
    expect(bSeen).toEqual([]);
  });

  it('members receive member:added, member:updated and member:removed when an owner changes the roster', async () => {
    const ws = await makeWorkspace(alice);
    await addMember(alice, ws, 'ben', 'hunter');
    const b = await connect(ben);
    const seen = record(b);
    expect((await b.emitWithAck('workspace:join', { workspaceId: ws })).ok).toBe(true);

    await addMember(alice, ws, 'liga', 'observer');
    const added = await eventually(() => {
      const e = seen.find((x) => x.name === 'member:added');
      expect(e).toBeDefined();
      return e!;
    });
    expect(added.payload).toMatchObject({ workspaceId: ws, member: { username: 'liga', role: 'observer', team: { code: 'LV' } } });

    await alice.patch(`/api/workspaces/${ws}/members/liga`, { role: 'hunter' });
    await eventually(() => expect(seen.find((x) => x.name === 'member:updated')?.payload).toMatchObject({ workspaceId: ws, member: { username: 'liga', role: 'hunter' } }));

    const ligaId = (await liga.get('/api/me')).body.account.id;
    await alice.delete(`/api/workspaces/${ws}/members/liga`);
    await eventually(() => expect(seen.find((x) => x.name === 'member:removed')?.payload).toEqual({ workspaceId: ws, accountId: ligaId }));
  });

  it('a joiner through an invite is announced to the members', async () => {
    const ws = await makeWorkspace(alice);
    const a = await connect(alice);
    const seen = record(a);
    await a.emitWithAck('workspace:join', { workspaceId: ws });
    const inv = await alice.post(`/api/workspaces/${ws}/invites`, { role: 'hunter', team: 'CA', expiresInHours: 1 });
    expect((await ben.post(`/api/invites/${inv.body.token}/accept`)).status).toBe(201);
    await eventually(() => expect(seen.find((x) => x.name === 'member:added')?.payload.member).toMatchObject({ username: 'ben', role: 'hunter' }));
  });

  it('a removed member’s socket gets workspace:revoked and then nothing more of that workspace', async () => {
    const ws = await makeWorkspace(alice);
    const other = await makeWorkspace(alice);
    await addMember(alice, ws, 'ben', 'hunter');
    await addMember(alice, ws, 'liga', 'hunter');
    await addMember(alice, other, 'ben', 'hunter');
    const b = await connect(ben);
    const l = await connect(liga);
    const bSeen = record(b);
    const lSeen = record(l);
    expect((await b.emitWithAck('workspace:join', { workspaceId: ws })).ok).toBe(true);
    expect((await b.emitWithAck('workspace:join', { workspaceId: other })).ok).toBe(true);
    expect((await l.emitWithAck('workspace:join', { workspaceId: ws })).ok).toBe(true);

    expect((await alice.delete(`/api/workspaces/${ws}/members/ben`)).status).toBe(200);
    await eventually(() => expect(bSeen.map((e) => e.name)).toContain('workspace:revoked'));
    expect(bSeen.find((e) => e.name === 'workspace:revoked')!.payload).toEqual({ workspaceId: ws });
    const cut = bSeen.length;

    // Activity in the workspace after the removal: liga (still a member) sees it, ben does not.
    await addMember(alice, ws, 'ben', 'observer').then(() => alice.delete(`/api/workspaces/${ws}/members/ben`));
    await alice.patch(`/api/workspaces/${ws}/members/liga`, { role: 'observer' });
    await eventually(() => expect(lSeen.some((e) => e.name === 'member:updated' && e.payload.member.username === 'liga')).toBe(true));
    // Ben's socket is not cut off from his other workspace.
    await addMember(alice, other, 'liga', 'observer');
    await eventually(() => expect(bSeen.some((e) => e.name === 'member:added' && e.payload.workspaceId === other)).toBe(true));
    await sleep(100);
    const leaked = bSeen.slice(cut).filter((e) => e.payload?.workspaceId === ws && e.name !== 'workspace:revoked');
    expect(leaked).toEqual([]);
  });

  it('a removed member cannot rejoin the workspace over an open socket', async () => {
    const ws = await makeWorkspace(alice);
    await addMember(alice, ws, 'ben', 'hunter');
    const b = await connect(ben);
    expect((await b.emitWithAck('workspace:join', { workspaceId: ws })).ok).toBe(true);
    await alice.delete(`/api/workspaces/${ws}/members/ben`);
    const again = await b.emitWithAck('workspace:join', { workspaceId: ws });
    expect(again).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('deleting a workspace revokes it on every member’s socket', async () => {
    const ws = await makeWorkspace(alice);
    await addMember(alice, ws, 'ben', 'hunter');
    const b = await connect(ben);
    const seen = record(b);
    await b.emitWithAck('workspace:join', { workspaceId: ws });
    expect((await alice.delete(`/api/workspaces/${ws}`)).status).toBe(200);
    await eventually(() => expect(seen).toContainEqual({ name: 'workspace:revoked', payload: { workspaceId: ws } }));
  });
});

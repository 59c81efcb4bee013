/**
 * Two (and three) real nodes on one PostgreSQL and one Redis: a note edited on both converges live,
 * indicators created on one reach another team's socket on the other with visibility intact, and
 * killing a node with -9 loses nothing its clients had been acknowledged or another client had seen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { MARKS_MAP, markKey } from '@huntroom/shared';
import { ApiClient, loginAs } from '../helpers/http.js';
import { connect, eventually, rawSocket, synced } from '../helpers/yjs.js';
import { Cluster, clusterAvailable, type Node } from './cluster.js';

const socketFor = async (node: Node, who: ApiClient): Promise<Socket & { frames: string[] }> => {
  const s = io(node.url, { transports: ['websocket'], extraHeaders: { cookie: who.cookie! } }) as Socket & { frames: string[] };
  s.frames = [];
  s.onAny((event: string, ...args: unknown[]) => s.frames.push(`${event} ${JSON.stringify(args)}`));
  await new Promise<void>((resolve, reject) => (s.once('connect', () => resolve()), s.once('connect_error', reject)));
  return s;
};

describe.skipIf(!clusterAvailable)('cluster: two nodes on PostgreSQL and Redis', () => {
  const cluster = new Cluster();
  let a: Node;
  let b: Node;
  let aliceA: ApiClient;
  let benB: ApiClient;
  let ws: string;
  beforeAll(async () => {
    a = await cluster.start();
    b = await cluster.start();
    aliceA = await loginAs(a.url, 'alice');
    benB = await loginAs(b.url, 'ben');
    ws = (await aliceA.get('/api/workspaces')).body.workspaces[0].id;
  }, 90_000);
  afterAll(() => cluster.stop(), 60_000);

  it('reports Redis as up in /healthz and /readyz on both nodes', async () => {
    for (const n of [a, b]) {
      expect((await (await fetch(`${n.url}/healthz`)).json()).redis).toBe('up');
      expect((await fetch(`${n.url}/readyz`)).status).toBe(200);
    }
  });

  it('a note and a map (ATT&CK-style marks) edited through both nodes converge live', async () => {
    const docId = (await aliceA.post(`/api/workspaces/${ws}/notes`, { title: 'cluster note' })).body.docId as string;
    const ca = connect(a, docId, aliceA);
    const cb = connect(b, docId, benB);
    await Promise.all([synced(ca), synced(cb)]);
    ca.text.insert(0, 'from node A. ');
    cb.text.insert(0, 'from node B. ');
    ca.doc.getMap('marks').set('T1059.001', { US: 'observed' });
    cb.doc.getMap('marks').set('T1071', { CA: 'suspected' });
    await eventually(() => {
      expect(ca.text.toString()).toBe(cb.text.toString());
      expect(ca.text.toString()).toContain('from node A.');
      expect(ca.text.toString()).toContain('from node B.');
      expect(cb.doc.getMap('marks').toJSON()).toEqual({ 'T1059.001': { US: 'observed' }, T1071: { CA: 'suspected' } });
      expect(ca.doc.getMap('marks').toJSON()).toEqual(cb.doc.getMap('marks').toJSON());
    }, 10_000);
    ca.destroy();
    cb.destroy();
  });

  it('ATT&CK board marks made on both nodes converge live', async () => {
    const docId = (await aliceA.get(`/api/workspaces/${ws}/attack/board`)).body.docId as string;
    expect((await benB.get(`/api/workspaces/${ws}/attack/board`)).body.docId).toBe(docId);
    const ca = connect(a, docId, aliceA);
    const cb = connect(b, docId, benB);
    await Promise.all([synced(ca), synced(cb)]);
    ca.doc.getMap(MARKS_MAP).set(markKey('T1566.001', 'US'), { techniqueId: 'T1566.001', team: 'US', status: 'observed' });
    cb.doc.getMap(MARKS_MAP).set(markKey('T1566.001', 'CA'), { techniqueId: 'T1566.001', team: 'CA', status: 'suspected' });
    await eventually(() => {
      expect(Object.keys(ca.doc.getMap(MARKS_MAP).toJSON()).sort()).toEqual(['T1566.001|CA', 'T1566.001|US']);
      expect(cb.doc.getMap(MARKS_MAP).toJSON()).toEqual(ca.doc.getMap(MARKS_MAP).toJSON());
    }, 10_000);
    // And the layer exported through node B has both teams' marks.
    const layer = await benB.get(`/api/workspaces/${ws}/attack/layer?domain=enterprise-attack`);
    expect(layer.body.techniques[0].metadata).toEqual(
      expect.arrayContaining([
        { name: 'US', value: 'observed' },
        { name: 'CA', value: 'suspected' },
      ]),
    );
    ca.destroy();
    cb.destroy();
  });

  it('an indicator created on node A reaches a CA socket on node B live; an AMBER+STRICT one never does', async () => {
    const ben = await socketFor(b, benB);
    expect((await ben.emitWithAck('workspace:join', { workspaceId: ws })).ok).toBe(true);
    const visible = await aliceA.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: 'cross-node.example-c2.net', tlp: 'AMBER' });
    expect(visible.status).toBe(201);
    const hidden = await aliceA.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: 'strict-only.example-c2.net', tlp: 'AMBER+STRICT' });
    expect(hidden.status).toBe(201);
    await eventually(() => expect(ben.frames.join('\n')).toContain('cross-node.example-c2.net'), 10_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(ben.frames.join('\n')).not.toContain('strict-only.example-c2.net');
    ben.disconnect();
  });

  it('a guest whose handoff ends on node A loses its document socket on node B at once (issue 15)', async () => {
    const ligaA = await loginAs(a.url, 'liga');
    const docId = (await aliceA.post(`/api/workspaces/${ws}/notes`, { title: 'for the partner' })).body.docId as string;
    const started = await aliceA.post(`/api/workspaces/${ws}/handoffs`, { recipient: 'LV', expiresInHours: 1 });
    const invite = ((await aliceA.get(`/api/workspaces/${ws}/invites`)).body.invites as { id: string; handoffId: string }[]).find((i) => i.handoffId === started.body.session.id)!;
    expect((await ligaA.post(`/api/invite-requests/${invite.id}`, { decision: 'approve' })).status).toBe(200);
    const official = new ApiClient(a.url);
    const token = (started.body.inviteUrl as string).split('/invite/')[1]!;
    expect((await official.post(`/api/invites/${token}/accept`, { username: 'cluster-official', password: 'cluster-official-pass' })).body.member.role).toBe('guest');
    const onB = rawSocket(b, docId, official.cookie);
    await onB.opened;
    expect((await aliceA.post(`/api/workspaces/${ws}/handoffs/${started.body.session.id}/end`)).status).toBe(200);
    const closed = await onB.closed;
    expect(closed.reason).toMatch(/handoff session ended/);
    expect((await fetch(`${b.url}/api/workspaces/${ws}`, { headers: { cookie: official.cookie! } })).status).toBe(404);
  });

  it('kill -9 of node A loses nothing: acked commands are in B’s sync, and a new node has every update B’s client saw', async () => {
    const docId = (await aliceA.post(`/api/workspaces/${ws}/notes`, { title: 'kill me' })).body.docId as string;
    const writer = connect(a, docId, aliceA);
    const reader = connect(b, docId, benB);
    await Promise.all([synced(writer), synced(reader)]);
    const alice = await socketFor(a, aliceA);
    const acked: string[] = [];
    for (let i = 0; i < 20; i++) {
      const value = `acked-${i}.before-kill.example-c2.net`;
      const ack = await alice.emitWithAck('indicator:create', { id: `kill-test-${i}-${Date.now()}`, payload: { workspaceId: ws, type: 'domain', value } });
      if (ack.ok) acked.push(value);
      writer.text.insert(writer.text.length, `word${i} `);
    }
    expect(acked).toHaveLength(20);
    await eventually(() => expect(reader.text.toString()).toContain('word19'), 10_000);
    const seenByReader = reader.text.toString();
    await cluster.kill9(a);
    alice.disconnect();
    writer.destroy();
    reader.destroy();

    // Records: every acknowledged command is in node B's catch-up for a CA socket.
    const ben = await socketFor(b, benB);
    expect((await ben.emitWithAck('workspace:join', { workspaceId: ws })).ok).toBe(true);
    const sync = await ben.emitWithAck('sync', { workspaceId: ws, sinceSeq: 0 });
    const blob = JSON.stringify(sync);
    for (const v of acked) expect(blob).toContain(v);
    ben.disconnect();

    // Documents: a third node, loading from the database, holds all that B's client had received.
    const c = await cluster.start();
    const fresh = connect(c, docId, await loginAs(c.url, 'liga'));
    await synced(fresh);
    expect(fresh.text.toString()).toBe(seenByReader);
    fresh.destroy();
  }, 60_000);
});

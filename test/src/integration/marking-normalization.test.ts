/**
 * Issue 15, hole 2.3: marking input is normalized by one function that keeps or narrows, never widens.
 * A US author marks items AMBER releasable to its own team ["US"], which means "only US"; a CA hunter
 * must find them nowhere: REST reads, live socket frames, catch-up over the socket and over REST, the
 * Yjs documents. Before the fix a comment (and `comment:remark`) dropped the author's own team from the
 * list, leaving the empty list, which means every team. Unknown team names are refused and change
 * nothing, for every kind of item, instead of being dropped (which would widen too).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../helpers/http.js';
import { connect as connectDoc, startCollabServer, synced, upgradeStatus, wsUrl } from '../helpers/yjs.js';
import type { TestServer } from '../helpers/server.js';
import { startPostgresTestServer, TEST_DATABASE_URL } from '../helpers/foundation.js';
import { connect, eventually, login, type Client } from './indicators-helpers.js';

/** SQLite always; PostgreSQL too when TEST_DATABASE_URL is set (CI sets it). */
const BACKENDS: [string, () => Promise<TestServer>][] = [
  ['SQLite', () => startCollabServer()],
  ...(TEST_DATABASE_URL ? [['PostgreSQL', startPostgresTestServer] as [string, () => Promise<TestServer>]] : []),
];

describe.each(BACKENDS)('%s: marking normalization: AMBER releasable to the own team stays with that team', (_backend, start) => {
  let server: TestServer;
  let ws: string;
  let alice: ApiClient;
  let ben: ApiClient;
  let a: Client;
  let b: Client;
  let teamId: Record<string, string>;

  beforeAll(async () => {
    server = await start();
    ws = server.demo!.workspaceId;
    alice = await login(server.url, 'alice');
    ben = await login(server.url, 'ben');
    a = await connect(server.url, alice, ws);
    b = await connect(server.url, ben, ws);
    teamId = Object.fromEntries(((await alice.get('/api/teams')).body.teams as { id: string; code: string }[]).map((t) => [t.code, t.id]));
  });
  afterAll(async () => {
    a.close();
    b.close();
    await server.stop();
  });

  /** Ben's live stream has passed everything sent so far: a CLEAR marker written after is in it. */
  async function benCaughtUp(tag: string) {
    const marker = await alice.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: `marker-${tag}.example.org`, tlp: 'CLEAR' });
    expect(marker.status).toBe(201);
    await eventually(() => expect(b.raw.join('\n')).toContain(`marker-${tag}.example.org`));
  }

  /** Nowhere Ben can read: the parent's detail, catch-up over the socket and over REST, live frames. */
  async function benFindsNowhere(needle: string, indicatorId: string) {
    expect(JSON.stringify((await ben.get(`/api/workspaces/${ws}/indicators/${indicatorId}`)).body)).not.toContain(needle);
    expect(JSON.stringify(await b.socket.emitWithAck('sync', { workspaceId: ws, sinceSeq: 0 }))).not.toContain(needle);
    expect(JSON.stringify((await ben.get(`/api/workspaces/${ws}/events?since=0`)).body)).not.toContain(needle);
    expect(b.raw.join('\n')).not.toContain(needle);
  }

  it('a comment AMBER releasable to ["US"] by a US author is seen by US only (REST, live, catch-up)', async () => {
    const parent = await alice.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: 'norm-parent.example.org', tlp: 'CLEAR' });
    const parentId = parent.body.indicator.id as string;
    const made = await alice.post(`/api/workspaces/${ws}/indicators/${parentId}/comments`, { body: 'OWN-TEAM-COMMENT-7731', tlp: 'AMBER', releasableTo: ['US'] });
    expect(made.status).toBe(201);
    expect(made.body.comment).toMatchObject({ tlp: 'AMBER', releasableTo: ['US'] });
    // Over the socket too, in lower case (codes are matched without case).
    const overSocket = await a.cmd('comment:add', { indicatorId: parentId, body: 'OWN-TEAM-COMMENT-SOCKET-7732', tlp: 'AMBER', releasableTo: ['us'] });
    expect(overSocket.ok).toBe(true);
    await benCaughtUp('comment');
    // Alice sees both; Ben neither.
    expect(JSON.stringify((await alice.get(`/api/workspaces/${ws}/indicators/${parentId}`)).body)).toContain('OWN-TEAM-COMMENT-SOCKET-7732');
    await benFindsNowhere('OWN-TEAM-COMMENT', parentId);
  });

  it('comment:remark to AMBER releasable to ["US"] revokes it from CA and it stays hidden', async () => {
    const parent = await alice.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: 'norm-remark.example.org', tlp: 'CLEAR' });
    const parentId = parent.body.indicator.id as string;
    const made = await alice.post(`/api/workspaces/${ws}/indicators/${parentId}/comments`, { body: 'REMARK-OWN-TEAM-5512', tlp: 'CLEAR' });
    const commentId = made.body.comment.id as string;
    await eventually(() => expect(b.raw.join('\n')).toContain('REMARK-OWN-TEAM-5512'));
    const seenUpTo = b.raw.length;
    const remarked = await alice.patch(`/api/workspaces/${ws}/indicators/${parentId}/comments/${commentId}`, { tlp: 'AMBER', releasableTo: ['US'] });
    expect(remarked.status).toBe(200);
    expect(remarked.body.comment).toMatchObject({ tlp: 'AMBER', releasableTo: ['US'] });
    await eventually(() => expect(b.events.some((e) => e.type === 'indicator:revoked' && (e.payload as { id?: string }).id === commentId)).toBe(true));
    await benCaughtUp('remark');
    expect(b.raw.slice(seenUpTo).join('\n')).not.toContain('REMARK-OWN-TEAM-5512');
    expect(JSON.stringify((await ben.get(`/api/workspaces/${ws}/indicators/${parentId}`)).body)).not.toContain('REMARK-OWN-TEAM-5512');
    expect(JSON.stringify(await b.socket.emitWithAck('sync', { workspaceId: ws, sinceSeq: 0 }))).not.toContain('REMARK-OWN-TEAM-5512');
    expect(JSON.stringify((await ben.get(`/api/workspaces/${ws}/events?since=0`)).body)).not.toContain('REMARK-OWN-TEAM-5512');
  });

  it('an indicator AMBER releasable to ["US"] (added, or re-marked so) is seen by US only', async () => {
    const added = await alice.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: 'own-team-ioc-4411.example.org', tlp: 'AMBER', releasableTo: ['US'] });
    expect(added.status).toBe(201);
    expect(added.body.indicator).toMatchObject({ tlp: 'AMBER', releasableTo: ['US'] });
    const other = await alice.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: 'own-team-ioc-4412.example.org', tlp: 'GREEN' });
    await eventually(() => expect(b.raw.join('\n')).toContain('own-team-ioc-4412.example.org'));
    const seenUpTo = b.raw.length;
    expect((await a.cmd('indicator:update', { id: other.body.indicator.id, tlp: 'AMBER', releasableTo: ['US'] })).ok).toBe(true);
    await benCaughtUp('indicator');
    expect(b.raw.join('\n')).not.toContain('own-team-ioc-4411');
    expect(b.raw.slice(seenUpTo).join('\n')).not.toContain('own-team-ioc-4412');
    for (const id of [added.body.indicator.id, other.body.indicator.id]) expect((await ben.get(`/api/workspaces/${ws}/indicators/${id}`)).status).toBe(404);
    const list = JSON.stringify((await ben.get(`/api/workspaces/${ws}/indicators?limit=1000`)).body);
    expect(list).not.toContain('own-team-ioc-441');
  });

  it('notes and whiteboards AMBER releasable to the own team (by code or id; created or re-marked) are refused to CA', async () => {
    for (const kind of ['notes', 'whiteboards']) {
      const byCode = await alice.post(`/api/workspaces/${ws}/${kind}`, { title: `own team ${kind} by code`, marking: { tlp: 'AMBER', releasableTo: ['US'] } });
      expect(byCode.status).toBe(201);
      // Stored as the team's id, never as the empty list.
      expect(byCode.body.marking).toEqual({ tlp: 'AMBER', releasableTo: [teamId.US] });
      const byId = await alice.post(`/api/workspaces/${ws}/${kind}`, { title: `own team ${kind} by id`, marking: { tlp: 'AMBER', releasableTo: [teamId.US] } });
      const remarked = await alice.post(`/api/workspaces/${ws}/${kind}`, { title: `own team ${kind} re-marked`, marking: { tlp: 'CLEAR', releasableTo: [] } });
      expect((await alice.patch(`/api/workspaces/${ws}/${kind}/${remarked.body.id}`, { marking: { tlp: 'AMBER', releasableTo: ['us'] } })).status).toBe(200);
      const list = JSON.stringify((await ben.get(`/api/workspaces/${ws}/${kind}`)).body);
      for (const doc of [byCode.body, byId.body, remarked.body]) {
        expect(list).not.toContain(doc.id);
        expect((await ben.get(`/api/workspaces/${ws}/${kind}/${doc.id}`)).status).not.toBe(200);
        expect(await upgradeStatus(`${wsUrl(server.url)}/${doc.id}`, { cookie: ben.cookie! })).not.toBe(101);
        // Alice's own team still reads it.
        const c = connectDoc(server, doc.id, alice);
        await synced(c);
        c.destroy();
      }
    }
  });

  it('unknown team names are refused for every kind of item and change nothing', async () => {
    const parent = await alice.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: 'norm-unknown.example.org', tlp: 'AMBER', releasableTo: ['CA'] });
    const parentId = parent.body.indicator.id as string;
    // Indicator: the item is rejected, not stored wider.
    const bad = await alice.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: 'unknown-team-ioc.example.org', tlp: 'AMBER', releasableTo: ['XX'] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify((await alice.get(`/api/workspaces/${ws}/indicators?q=unknown-team-ioc`)).body)).not.toContain('unknown-team-ioc');
    const update = await alice.patch(`/api/workspaces/${ws}/indicators/${parentId}`, { tlp: 'AMBER', releasableTo: ['XX'] });
    expect(update.status).toBe(400);
    expect((await alice.get(`/api/workspaces/${ws}/indicators/${parentId}`)).body.indicator).toMatchObject({ tlp: 'AMBER', releasableTo: ['CA'] });
    // Comment and its re-marking.
    expect((await alice.post(`/api/workspaces/${ws}/indicators/${parentId}/comments`, { body: 'UNKNOWN-TEAM-COMMENT', tlp: 'AMBER', releasableTo: ['US', 'XX'] })).status).toBe(
      400,
    );
    expect(JSON.stringify((await alice.get(`/api/workspaces/${ws}/indicators/${parentId}`)).body)).not.toContain('UNKNOWN-TEAM-COMMENT');
    const comment = await alice.post(`/api/workspaces/${ws}/indicators/${parentId}/comments`, { body: 'known comment', tlp: 'AMBER', releasableTo: ['US'] });
    expect((await alice.patch(`/api/workspaces/${ws}/indicators/${parentId}/comments/${comment.body.comment.id}`, { tlp: 'CLEAR', releasableTo: ['XX'] })).status).toBe(400);
    const stored = (await alice.get(`/api/workspaces/${ws}/indicators/${parentId}`)).body.comments as { id: string; tlp: string; releasableTo: string[] }[];
    expect(stored.find((c) => c.id === comment.body.comment.id)).toMatchObject({ tlp: 'AMBER', releasableTo: ['US'] });
    // Notes and whiteboards: not created, not re-marked.
    for (const kind of ['notes', 'whiteboards']) {
      const before = (await alice.get(`/api/workspaces/${ws}/${kind}`)).body;
      const created = await alice.post(`/api/workspaces/${ws}/${kind}`, { title: `unknown team ${kind}`, marking: { tlp: 'AMBER', releasableTo: ['no-such-team'] } });
      expect(created.status).toBe(400);
      expect((await alice.get(`/api/workspaces/${ws}/${kind}`)).body).toEqual(before);
      const doc = await alice.post(`/api/workspaces/${ws}/${kind}`, { title: `known ${kind}`, marking: { tlp: 'AMBER', releasableTo: ['US'] } });
      expect((await alice.patch(`/api/workspaces/${ws}/${kind}/${doc.body.id}`, { marking: { tlp: 'CLEAR', releasableTo: ['no-such-team'] } })).status).toBe(400);
      expect((await alice.get(`/api/workspaces/${ws}/${kind}/${doc.body.id}`)).body.marking).toEqual({ tlp: 'AMBER', releasableTo: [teamId.US] });
    }
    // The ATT&CK board.
    const board = (await alice.get(`/api/workspaces/${ws}/attack/board`)).body;
    expect((await alice.patch(`/api/workspaces/${ws}/attack/board`, { marking: { tlp: 'CLEAR', releasableTo: ['no-such-team'] } })).status).toBe(400);
    expect((await alice.get(`/api/workspaces/${ws}/attack/board`)).body.marking).toEqual(board.marking);
  });
});

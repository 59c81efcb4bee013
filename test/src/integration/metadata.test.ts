/**
 * Metadata that crosses the trust boundary (issue 15, hole 10), tried as a hostile client would:
 * - the audit trail read by an owner of another team (CA) holds no row about an item CA may not see
 *   (ids, types, markings), also once that item is narrowed or deleted, and no export sizes of others;
 * - a hidden document answers exactly like a missing one, on every REST route and the ticket route;
 * - named versions are capped per note (409) and per account and minute (429), and a refusal stores nothing;
 * - a document ticket opens one connection only (a replay is refused, on another node of a cluster
 *   too), and a client that reconnects with a fresh ticket carries on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, loginAs } from '../helpers/http.js';
import { connect, eventually, startCollabServer, synced, upgradeStatus, wsUrl } from '../helpers/yjs.js';
import type { TestServer } from '../helpers/server.js';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

describe('metadata: audit trail, hidden documents, named versions, single-use tickets', () => {
  let server: TestServer;
  let alice: ApiClient;
  let ben: ApiClient;
  let liga: ApiClient;
  let ws: string;

  beforeAll(async () => {
    server = await startCollabServer({ maxVersionsPerNote: 3, versionsPerAccountPerMinute: 5 });
    [alice, ben, liga] = await Promise.all([loginAs(server.url, 'alice'), loginAs(server.url, 'ben'), loginAs(server.url, 'liga')]);
    ws = server.demo!.workspaceId;
  });
  afterAll(() => server.stop());

  const indicator = async (by: ApiClient, value: string, tlp: string, releasableTo: string[] = []) => {
    const res = await by.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value, tlp, releasableTo });
    expect(res.status).toBe(201);
    return (res.body.indicator?.id ?? res.body.id) as string;
  };
  const note = async (by: ApiClient, title: string, tlp: string) => {
    const res = await by.post(`/api/workspaces/${ws}/notes`, { title, marking: { tlp, releasableTo: [] } });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const trail = async (who: ApiClient) => {
    const res = await who.get(`/api/workspaces/${ws}/audit`);
    expect(res.status).toBe(200);
    return res.body.entries as { action: string; teamCode: string; detail: Record<string, unknown> }[];
  };

  it('the audit trail shows an owner of another team no row about an item its team may not see', async () => {
    const hidden: Record<string, string> = {
      strictIndicator: await indicator(alice, 'audit-strict.example.org', 'AMBER+STRICT'),
      deletedStrict: await indicator(alice, 'audit-deleted-strict.example.org', 'AMBER+STRICT'),
      narrowedIndicator: await indicator(alice, 'audit-narrowed.example.org', 'GREEN'),
      strictNote: await note(alice, 'audit strict note', 'AMBER+STRICT'),
      deletedNote: await note(alice, 'audit deleted note', 'AMBER+STRICT'),
      narrowedNote: await note(alice, 'audit narrowed note', 'GREEN'),
    };
    const visible: Record<string, string> = {
      clearIndicator: await indicator(alice, 'audit-clear.example.org', 'CLEAR'),
      deletedClear: await indicator(alice, 'audit-deleted-clear.example.org', 'CLEAR'),
      greenNote: await note(alice, 'audit green note', 'GREEN'),
    };
    const comment = await alice.post(`/api/workspaces/${ws}/indicators/${visible.clearIndicator}/comments`, { body: 'strict remark', tlp: 'AMBER+STRICT' });
    expect(comment.status).toBe(201);
    hidden.strictComment = comment.body.comment?.id ?? comment.body.id;
    expect(hidden.strictComment).toBeTruthy();
    // Narrowed after the fact: the rows written while CA could see them go too. Deleted: judged by the
    // marking they had when deleted.
    expect((await alice.patch(`/api/workspaces/${ws}/indicators/${hidden.narrowedIndicator}`, { tlp: 'AMBER+STRICT', releasableTo: [] })).status).toBe(200);
    expect((await alice.patch(`/api/workspaces/${ws}/notes/${hidden.narrowedNote}`, { marking: { tlp: 'AMBER+STRICT', releasableTo: [] } })).status).toBe(200);
    expect((await alice.delete(`/api/workspaces/${ws}/indicators/${hidden.deletedStrict}`)).status).toBe(200);
    expect((await alice.delete(`/api/workspaces/${ws}/indicators/${visible.deletedClear}`)).status).toBe(200);
    expect((await alice.delete(`/api/workspaces/${ws}/notes/${hidden.deletedNote}`)).status).toBe(200);
    // An export for US: its size is US's business, not CA's.
    expect((await fetch(`${server.url}/api/workspaces/${ws}/export/csv?recipient=US`, { headers: { cookie: alice.cookie! } })).status).toBe(200);

    expect((await alice.patch(`/api/workspaces/${ws}/members/ben`, { role: 'owner' })).status).toBe(200);
    try {
      const caView = await trail(ben);
      const caText = JSON.stringify(caView);
      for (const [name, id] of Object.entries(hidden)) expect({ name, leaked: caText.includes(id) }).toEqual({ name, leaked: false });
      for (const [name, id] of Object.entries(visible)) expect({ name, shown: caText.includes(id) }).toEqual({ name, shown: true });
      expect(caView.some((e) => e.action === 'indicator.deleted' && e.detail.id === visible.deletedClear)).toBe(true);
      expect(caView.some((e) => e.action === 'member.role_changed')).toBe(true); // workspace rows stay
      const usExport = caView.find((e) => e.action === 'export.created' && e.detail.recipient === 'US');
      expect(usExport).toBeDefined();
      expect(usExport!.detail).not.toHaveProperty('indicators');
      expect(usExport!.detail).not.toHaveProperty('notes');

      // The US owner still reads the whole trail, deleted and narrowed items included.
      const usText = JSON.stringify(await trail(alice));
      for (const id of [...Object.values(hidden), ...Object.values(visible)]) expect(usText).toContain(id);
      expect((await trail(alice)).find((e) => e.action === 'export.created' && e.detail.recipient === 'US')!.detail).toHaveProperty('indicators');
    } finally {
      expect((await alice.patch(`/api/workspaces/${ws}/members/ben`, { role: 'hunter' })).status).toBe(200);
    }
  });

  it('a hidden document answers exactly like a missing one, on every REST route and the ticket route', async () => {
    const hiddenNote = await note(alice, 'not for LV', 'AMBER+STRICT');
    const board = await alice.post(`/api/workspaces/${ws}/whiteboards`, { title: 'not for LV either', marking: { tlp: 'AMBER+STRICT', releasableTo: [] } });
    expect(board.status).toBe(201);
    const version = await alice.post(`/api/workspaces/${ws}/notes/${hiddenNote}/versions`, { name: 'v1' });
    expect(version.status).toBe(201);
    const missing = '0d5c1a52-6c1e-4b7e-9a51-000000000000';
    const probes = (noteId: string, boardId: string): [string, string, object?][] => [
      ['GET', `/api/workspaces/${ws}/notes/${noteId}`],
      ['PATCH', `/api/workspaces/${ws}/notes/${noteId}`, { title: 'mine' }],
      ['DELETE', `/api/workspaces/${ws}/notes/${noteId}`],
      ['GET', `/api/workspaces/${ws}/notes/${noteId}/versions`],
      ['POST', `/api/workspaces/${ws}/notes/${noteId}/versions`, { name: 'probe' }],
      ['GET', `/api/workspaces/${ws}/notes/${noteId}/versions/${version.body.id}`],
      ['POST', `/api/workspaces/${ws}/notes/${noteId}/versions/${version.body.id}/restore`],
      ['GET', `/api/workspaces/${ws}/whiteboards/${boardId}`],
      ['PATCH', `/api/workspaces/${ws}/whiteboards/${boardId}`, { title: 'mine' }],
      ['DELETE', `/api/workspaces/${ws}/whiteboards/${boardId}`],
      ['POST', `/api/docs/${noteId}/ticket`],
      ['POST', `/api/docs/${boardId}/ticket`],
    ];
    const hiddenProbes = probes(hiddenNote, board.body.id);
    const missingProbes = probes(missing, missing);
    for (let i = 0; i < hiddenProbes.length; i++) {
      const [method, path, body] = hiddenProbes[i]!;
      const [, missingPath] = missingProbes[i]!;
      const a = await liga.request(method, path, body);
      const b = await liga.request(method, missingPath, body);
      expect({ probe: `${method} ${path}`, status: a.status, body: a.body }).toEqual({ probe: `${method} ${path}`, status: 404, body: b.body });
      expect(b.status).toBe(404);
    }
    // The websocket upgrade: the same status for both.
    expect(await upgradeStatus(`${wsUrl(server.url)}/${hiddenNote}`, { cookie: liga.cookie! })).toBe(404);
    expect(await upgradeStatus(`${wsUrl(server.url)}/${missing}`, { cookie: liga.cookie! })).toBe(404);
    // Nothing changed behind the refusals.
    const kept = await alice.get(`/api/workspaces/${ws}/notes/${hiddenNote}`);
    expect(kept.body.title).toBe('not for LV');
    expect((await alice.get(`/api/workspaces/${ws}/notes/${hiddenNote}/versions`)).body.versions).toHaveLength(1);
  });

  it('caps named versions per note (409) and per account and minute (429); a refusal stores nothing', async () => {
    const first = await note(ben, 'versions 1', 'GREEN');
    for (const n of [1, 2, 3]) expect((await ben.post(`/api/workspaces/${ws}/notes/${first}/versions`, { name: `v${n}` })).status).toBe(201);
    const full = await ben.post(`/api/workspaces/${ws}/notes/${first}/versions`, { name: 'v4' });
    expect(full.status).toBe(409);
    expect(full.body.error.code).toBe('conflict');
    expect(full.body.error.message).toMatch(/3 named versions/);
    expect((await ben.get(`/api/workspaces/${ws}/notes/${first}/versions`)).body.versions).toHaveLength(3);

    // Five a minute per account, over all notes: two more on another note, then 429.
    const second = await note(ben, 'versions 2', 'GREEN');
    for (const n of [1, 2]) expect((await ben.post(`/api/workspaces/${ws}/notes/${second}/versions`, { name: `w${n}` })).status).toBe(201);
    const burst = await Promise.all([1, 2, 3].map((n) => ben.post(`/api/workspaces/${ws}/notes/${second}/versions`, { name: `x${n}` })));
    expect(burst.map((r) => r.status)).toEqual([429, 429, 429]);
    expect(burst[0]!.body.error.code).toBe('rate_limited');
    expect((await ben.get(`/api/workspaces/${ws}/notes/${second}/versions`)).body.versions).toHaveLength(2);
    // Another account is not held back by ben's rate.
    expect((await liga.post(`/api/workspaces/${ws}/notes/${second}/versions`, { name: 'liga' })).status).toBe(201);
    // Deleting a note (and its versions) does not give ben his saves back.
    expect((await ben.delete(`/api/workspaces/${ws}/notes/${second}`)).status).toBe(200);
    const third = await note(ben, 'versions 3', 'GREEN');
    expect((await ben.post(`/api/workspaces/${ws}/notes/${third}/versions`, { name: 'again' })).status).toBe(429);
  });

  it('a ticket opens one connection only; a client reconnecting with a fresh ticket carries on', async () => {
    const id = await note(alice, 'tickets', 'GREEN');
    const ticket = async () => {
      const res = await alice.post(`/api/docs/${id}/ticket`);
      expect(res.status).toBe(201);
      return res.body.ticket as string;
    };
    const url = (t: string) => `${wsUrl(server.url)}/${id}?ticket=${encodeURIComponent(t)}`;
    const once = await ticket();
    expect(await upgradeStatus(url(once))).toBe(101);
    expect(await upgradeStatus(url(once))).toBe(401); // the replay, within the ticket's 60 s

    // A script's provider: connects with a ticket, and before each reconnect puts a fresh one in its
    // params (y-websocket reads them at every connection).
    const script = connect(server, id, { ticket: await ticket() });
    await synced(script);
    const editor = connect(server, id, alice);
    await synced(editor);
    script.provider.params = { ticket: await ticket() };
    script.provider.ws?.close(); // the network drops; y-websocket reconnects by itself
    editor.text.insert(0, 'written while the script was away');
    await eventually(() => expect(script.text.toString()).toBe('written while the script was away'));
    expect(script.provider.wsconnected).toBe(true);
    // Without a fresh ticket a reconnect is refused: the old one is spent.
    const replay = connect(server, id, { ticket: script.provider.params.ticket! });
    await eventually(() => expect(replay.provider.wsUnsuccessfulReconnects).toBeGreaterThanOrEqual(2));
    expect(replay.provider.wsconnected).toBe(false);
    expect(replay.text.toString()).toBe('');
    for (const c of [script, editor, replay]) c.destroy();
  });

  it("the benchmark's setting (singleUseTickets off) lets one ticket open several sockets", async () => {
    const bench = await startCollabServer({ singleUseTickets: false });
    try {
      const us = await loginAs(bench.url, 'alice');
      const wsId = ((await us.get('/api/workspaces')).body.workspaces as { id: string }[])[0]!.id;
      const docId = (await us.post(`/api/workspaces/${wsId}/notes`, { title: 'bench' })).body.id as string;
      const t = (await us.post(`/api/docs/${docId}/ticket`)).body.ticket as string;
      const url = `${wsUrl(bench.url)}/${docId}?ticket=${encodeURIComponent(t)}`;
      expect([await upgradeStatus(url), await upgradeStatus(url)]).toEqual([101, 101]);
    } finally {
      await bench.stop();
    }
  });

  it.skipIf(!TEST_DATABASE_URL)('in a cluster, a ticket spent on one node is refused on the other (PostgreSQL)', async () => {
    const schema = `hr_it_tickets_${Date.now().toString(36)}`;
    const db = new URL(TEST_DATABASE_URL!);
    db.searchParams.set('schema', schema);
    const env = { DATABASE_URL: db.toString(), SESSION_SECRET: 'cluster-secret-'.padEnd(48, 'x') };
    const one = await startCollabServer({ maxVersionsPerNote: 2, versionsPerAccountPerMinute: 10 }, env);
    const two = await startCollabServer({ maxVersionsPerNote: 2, versionsPerAccountPerMinute: 10 }, env);
    try {
      const us = await loginAs(one.url, 'alice');
      const wsId = ((await us.get('/api/workspaces')).body.workspaces as { id: string }[])[0]!.id;
      const docId = (await us.post(`/api/workspaces/${wsId}/notes`, { title: 'cluster' })).body.id as string;
      const fresh = async () => (await us.post(`/api/docs/${docId}/ticket`)).body.ticket as string;
      const at = (node: TestServer, t: string) => upgradeStatus(`${wsUrl(node.url)}/${docId}?ticket=${encodeURIComponent(t)}`);
      const a = await fresh();
      expect(await at(one, a)).toBe(101);
      expect(await at(two, a)).toBe(401);
      const b = await fresh();
      expect(await at(two, b)).toBe(101);
      expect(await at(one, b)).toBe(401);
      // Named versions on PostgreSQL: concurrent saves cannot pass the cap together.
      const saves = await Promise.all([1, 2, 3, 4].map((n) => us.post(`/api/workspaces/${wsId}/notes/${docId}/versions`, { name: `c${n}` })));
      expect(saves.map((s) => s.status).sort()).toEqual([201, 201, 409, 409]);
    } finally {
      await one.ctx.db.run(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await two.stop();
      await one.stop();
    }
  });
});

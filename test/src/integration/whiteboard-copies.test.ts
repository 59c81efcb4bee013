/**
 * Issue 15, hole 2.9: copies that outlive their marking. An AMBER indicator placed on an AMBER
 * whiteboard is re-marked AMBER+STRICT. A CA hunter with the board open (live) and one who opens it
 * afterwards (a reload: a fresh sync) must not find the value in the board's Yjs document; the one who
 * narrowed it is told on which boards it is placed (only boards its team may see).
 *
 * Placements are references (the indicator id; each client draws the label from its own view), so the
 * value is never in the document; a placement made before that (the value in the shape's customData
 * and the label text) is rewritten as a reference by the server when the indicator is re-marked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { PLACED_INDICATOR_TEXT } from '@huntroom/shared';
import type { ApiClient } from '../helpers/http.js';
import { connect as connectDoc, eventually, startCollabServer, synced, type Client } from '../helpers/yjs.js';
import type { TestServer } from '../helpers/server.js';
import { startPostgresTestServer, TEST_DATABASE_URL } from '../helpers/foundation.js';
import { connect as connectRecords, login } from './indicators-helpers.js';

/** SQLite always; PostgreSQL too when TEST_DATABASE_URL is set (CI sets it). */
const BACKENDS: [string, () => Promise<TestServer>][] = [
  ['SQLite', () => startCollabServer()],
  ...(TEST_DATABASE_URL ? [['PostgreSQL', startPostgresTestServer] as [string, () => Promise<TestServer>]] : []),
];

const VALUE = 'copied-c2-9917.example.org';
const DEFANGED = 'copied-c2-9917[.]example[.]org';

/** A placement as the client makes it now: the reference only. */
function referencePlacement(indicatorId: string, n: number) {
  return {
    [`ref-shape-${n}`]: {
      id: `ref-shape-${n}`,
      type: 'rectangle',
      version: 1,
      versionNonce: 1,
      isDeleted: false,
      boundElements: [{ type: 'text', id: `ref-label-${n}` }],
      customData: { huntroom: { kind: 'indicator', id: indicatorId } },
    },
    [`ref-label-${n}`]: {
      id: `ref-label-${n}`,
      type: 'text',
      version: 1,
      versionNonce: 1,
      isDeleted: false,
      containerId: `ref-shape-${n}`,
      text: PLACED_INDICATOR_TEXT,
      originalText: PLACED_INDICATOR_TEXT,
      customData: { huntroom: { kind: 'indicator', id: indicatorId } },
    },
  };
}

/** A placement as clients made it before references: the value in customData and in the label. */
function legacyPlacement(indicatorId: string, value = VALUE) {
  const defanged = value.replaceAll('.', '[.]');
  return {
    'old-shape': {
      id: 'old-shape',
      type: 'rectangle',
      version: 4,
      versionNonce: 7,
      isDeleted: false,
      boundElements: [{ type: 'text', id: 'old-label' }],
      customData: { huntroom: { kind: 'indicator', id: indicatorId, type: 'domain', value } },
    },
    'old-label': {
      id: 'old-label',
      type: 'text',
      version: 3,
      versionNonce: 7,
      isDeleted: false,
      containerId: 'old-shape',
      text: `domain\n${defanged}`,
      originalText: `domain\n${defanged}`,
    },
  };
}

const content = (doc: Y.Doc) => JSON.stringify(doc.getMap('elements').toJSON());
const holdsValue = (doc: Y.Doc) => content(doc).includes(VALUE) || content(doc).includes(DEFANGED);

describe.each(BACKENDS)('%s: copies on whiteboards follow the indicator', (_backend, start) => {
  let server: TestServer;
  let ws: string;
  let alice: ApiClient;
  let ben: ApiClient;
  const open: Client[] = [];

  beforeAll(async () => {
    server = await start();
    ws = server.demo!.workspaceId;
    alice = await login(server.url, 'alice');
    ben = await login(server.url, 'ben');
  });
  afterAll(async () => {
    open.forEach((c) => c.destroy());
    await server.stop();
  });

  async function join(api: ApiClient, docId: string): Promise<Client> {
    const c = connectDoc(server, docId, api);
    open.push(c);
    await synced(c);
    return c;
  }

  /** Writes elements as `api` and waits until `watcher` has them (relayed means stored). */
  async function place(api: ApiClient, docId: string, elements: Record<string, object>, watcher: Client) {
    const c = await join(api, docId);
    c.doc.transact(() => Object.entries(elements).forEach(([k, v]) => c.doc.getMap('elements').set(k, v)));
    await eventually(() => Object.keys(elements).forEach((k) => expect(watcher.doc.getMap('elements').has(k)).toBe(true)));
  }

  it('after AMBER+STRICT, a CA hunter finds the value in no board document, live or after a reload; the narrower is told where it was', async () => {
    const made = await alice.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: VALUE, tlp: 'AMBER' });
    expect(made.status).toBe(201);
    const indicatorId = made.body.indicator.id as string;
    const board = (await alice.post(`/api/workspaces/${ws}/whiteboards`, { title: 'Shared attacker path', marking: { tlp: 'AMBER', releasableTo: [] } })).body;
    const refOnly = (await alice.post(`/api/workspaces/${ws}/whiteboards`, { title: 'Reference only', marking: { tlp: 'AMBER', releasableTo: [] } })).body;
    // Ben's own board, which Alice may not see: placed there while he could still see the indicator.
    const bens = (await ben.post(`/api/workspaces/${ws}/whiteboards`, { title: 'CA private board', marking: { tlp: 'AMBER+STRICT', releasableTo: [] } })).body;
    const unrelated = (await alice.post(`/api/workspaces/${ws}/whiteboards`, { title: 'Unrelated', marking: { tlp: 'AMBER', releasableTo: [] } })).body;

    // Ben has the shared boards open from before the narrowing.
    const benLive = await join(ben, board.id);
    const benRefLive = await join(ben, refOnly.id);
    const benOwn = await join(ben, bens.id);
    await place(alice, board.id, { ...legacyPlacement(indicatorId), ...referencePlacement(indicatorId, 1) }, benLive);
    await place(alice, refOnly.id, referencePlacement(indicatorId, 2), benRefLive);
    await place(ben, bens.id, referencePlacement(indicatorId, 3), benOwn);
    await place(
      alice,
      unrelated.id,
      { note: { id: 'note', type: 'text', version: 1, versionNonce: 1, isDeleted: false, text: 'nothing placed here' } },
      await join(alice, unrelated.id),
    );
    // The old placement carried the value to Ben; a reference placement never does.
    expect(holdsValue(benLive.doc)).toBe(true);
    expect(holdsValue(benRefLive.doc)).toBe(false);
    expect(content(benRefLive.doc)).toContain(indicatorId);

    // Alice narrows it; her answer names the boards she may see that hold it, not Ben's private one.
    const narrowed = await alice.patch(`/api/workspaces/${ws}/indicators/${indicatorId}`, { tlp: 'AMBER+STRICT' });
    expect(narrowed.status).toBe(200);
    expect((narrowed.body.copies as { id: string; title: string; kind: string }[]).sort((a, b) => a.title.localeCompare(b.title))).toEqual([
      { kind: 'whiteboard', id: refOnly.id, title: 'Reference only' },
      { kind: 'whiteboard', id: board.id, title: 'Shared attacker path' },
    ]);

    // Live: the old copy is rewritten as a reference in Ben's open document (by the time she is answered).
    await eventually(() => expect(holdsValue(benLive.doc)).toBe(false));
    const elements = benLive.doc.getMap('elements').toJSON() as Record<string, { text?: string; customData?: unknown }>;
    expect(elements['old-label']).toMatchObject({ text: PLACED_INDICATOR_TEXT, customData: { huntroom: { kind: 'indicator', id: indicatorId } } });
    expect(elements['old-shape']!.customData).toEqual({ huntroom: { kind: 'indicator', id: indicatorId } });
    // After a reload: a fresh sync of every board holds no value either.
    for (const id of [board.id, refOnly.id]) {
      const fresh = await join(ben, id);
      expect(holdsValue(fresh.doc)).toBe(false);
      expect(content(fresh.doc)).toContain(indicatorId);
    }
    // What his client draws the label from: his own view of the record, which no longer has it.
    expect((await ben.get(`/api/workspaces/${ws}/indicators/${indicatorId}`)).status).toBe(404);
    // Alice's team still reads the indicator, so her client draws its value.
    expect((await alice.get(`/api/workspaces/${ws}/indicators/${indicatorId}`)).body.indicator.value).toBe(VALUE);

    // A change that is not a marking change names no boards.
    const status = await alice.patch(`/api/workspaces/${ws}/indicators/${indicatorId}`, { status: 'confirmed' });
    expect(status.status).toBe(200);
    expect(status.body.copies).toBeUndefined();
  });

  it('the same over the socket command: the ack names the board and the old copy goes from the live document', async () => {
    const value = 'socket-copy-5521.example.org';
    const made = await alice.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value, tlp: 'GREEN' });
    const indicatorId = made.body.indicator.id as string;
    const board = (await alice.post(`/api/workspaces/${ws}/whiteboards`, { title: 'Socket board', marking: { tlp: 'GREEN', releasableTo: [] } })).body;
    const benLive = await join(ben, board.id);
    await place(alice, board.id, legacyPlacement(indicatorId, value), benLive);
    expect(content(benLive.doc)).toContain(value);
    expect(content(benLive.doc)).toContain('socket-copy-5521[.]example');
    const records = await connectRecords(server.url, alice, ws);
    try {
      const ack = await records.cmd('indicator:update', { id: indicatorId, tlp: 'AMBER', releasableTo: ['US'] });
      expect(ack).toMatchObject({ ok: true, data: { copies: [{ kind: 'whiteboard', id: board.id, title: 'Socket board' }] } });
    } finally {
      records.close();
    }
    await eventually(() => expect(content(benLive.doc)).not.toContain('socket-copy-5521'));
    expect(content((await join(ben, board.id)).doc)).not.toContain('socket-copy-5521');
  });

  it('a board widened, or an indicator deleted, leaves no old copy of the value behind', async () => {
    // A US-only board with an old copy of a US-only indicator, then opened to every team.
    const usOnly = (await alice.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: 'us-only-7781.example.org', tlp: 'AMBER', releasableTo: ['US'] })).body.indicator;
    const usBoard = (await alice.post(`/api/workspaces/${ws}/whiteboards`, { title: 'US board', marking: { tlp: 'AMBER', releasableTo: ['US'] } })).body;
    const aliceWatch = await join(alice, usBoard.id);
    await place(alice, usBoard.id, legacyPlacement(usOnly.id, usOnly.value), aliceWatch);
    expect((await alice.patch(`/api/workspaces/${ws}/whiteboards/${usBoard.id}`, { marking: { tlp: 'AMBER', releasableTo: [] } })).status).toBe(200);
    const benView = await join(ben, usBoard.id);
    expect(content(benView.doc)).not.toContain('us-only-7781');
    expect(content(benView.doc)).toContain(usOnly.id);

    // A deleted indicator: its old copy goes from the board Ben has open.
    const doomed = (await alice.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: 'deleted-4410.example.org', tlp: 'GREEN' })).body.indicator;
    const board = (await alice.post(`/api/workspaces/${ws}/whiteboards`, { title: 'Delete board', marking: { tlp: 'GREEN', releasableTo: [] } })).body;
    const benLive = await join(ben, board.id);
    await place(alice, board.id, legacyPlacement(doomed.id, doomed.value), benLive);
    expect(content(benLive.doc)).toContain('deleted-4410');
    expect((await alice.delete(`/api/workspaces/${ws}/indicators/${doomed.id}`)).status).toBe(200);
    await eventually(() => expect(content(benLive.doc)).not.toContain('deleted-4410'));
  });
});

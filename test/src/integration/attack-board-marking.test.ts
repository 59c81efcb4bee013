/**
 * The ATT&CK board's own marking: its team or an owner narrows it, and then a team that may not see
 * it gets nothing of it: not the board, not a layer, not the Yjs document (an open socket is closed),
 * and no marks in its exports. Audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, type ApiClient } from '../helpers/http.js';
import { connect, startCollabServer, synced, upgradeStatus, wsUrl } from '../helpers/yjs.js';
import type { TestServer } from '../helpers/server.js';

describe('ATT&CK board marking', () => {
  let server: TestServer;
  let alice: ApiClient;
  let ben: ApiClient;
  let ws: string;
  beforeAll(async () => {
    server = await startCollabServer();
    [alice, ben] = await Promise.all([loginAs(server.url, 'alice'), loginAs(server.url, 'ben')]);
    ws = server.demo!.workspaceId;
  });
  afterAll(() => server.stop());

  it('narrowed to AMBER+STRICT, the board and its marks reach no other team', async () => {
    const board = await alice.get(`/api/workspaces/${ws}/attack/board`);
    expect(board.status).toBe(200);
    const docId = board.body.docId as string;
    const a = connect(server, docId, alice);
    await synced(a);
    a.doc.getMap('marks').set('T1059.001|US', { techniqueId: 'T1059.001', team: 'US', status: 'observed', score: 80, comment: 'SECRET-MARK-COMMENT' });
    const b = connect(server, docId, ben);
    await synced(b);
    const closed = new Promise<number>((resolve) => b.provider.ws?.addEventListener('close', (e) => resolve((e as { code: number }).code)));

    expect((await ben.patch(`/api/workspaces/${ws}/attack/board`, { marking: { tlp: 'CLEAR', releasableTo: [] } })).status).toBe(403);
    expect((await alice.patch(`/api/workspaces/${ws}/attack/board`, { marking: { tlp: 'PURPLE' } })).status).toBe(400);
    const narrowed = await alice.patch(`/api/workspaces/${ws}/attack/board`, { marking: { tlp: 'AMBER+STRICT', releasableTo: [] } });
    expect(narrowed.status).toBe(200);
    expect(narrowed.body.marking.tlp).toBe('AMBER+STRICT');
    expect(await closed).toBe(4403);
    b.destroy();

    // A hidden document answers as a missing one would (issue 15): 404, not 403.
    expect((await ben.get(`/api/workspaces/${ws}/attack/board`)).status).toBe(404);
    expect((await ben.get(`/api/workspaces/${ws}/attack/layer`)).status).toBe(404);
    expect(await upgradeStatus(`${wsUrl(server.url)}/${docId}`, { cookie: ben.cookie! })).toBe(404);
    const layer = await fetch(`${server.url}/api/workspaces/${ws}/export/layer`, { headers: { cookie: ben.cookie! } });
    expect(await layer.text()).not.toContain('T1059.001');
    // Alice's own team still has all of it.
    expect(JSON.stringify((await alice.get(`/api/workspaces/${ws}/attack/layer?team=US`)).body)).toContain('SECRET-MARK-COMMENT');
    const audit = (await alice.get(`/api/workspaces/${ws}/audit`)).body.entries as { action: string }[];
    expect(audit.map((e) => e.action)).toContain('attack.marking_changed');
    a.destroy();
  });
});

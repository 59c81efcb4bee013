/**
 * The ATT&CK board document and Navigator layers: two teams mark the matrix at once through real
 * y-websocket clients; layers export per team or for all; an imported layer reaches open boards live;
 * bad layers and other teams' marks are refused and change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARKS_MAP, markKey } from '@huntroom/shared';
import { loginAs, type ApiClient } from '../helpers/http.js';
import { connect, eventually, startCollabServer, synced, type Client } from '../helpers/yjs.js';
import type { TestServer } from '../helpers/server.js';

describe('ATT&CK board and Navigator layers', () => {
  let server: TestServer;
  let alice: ApiClient;
  let ben: ApiClient;
  let ws: string;
  let docId: string;
  let a: Client;
  let b: Client;
  beforeAll(async () => {
    server = await startCollabServer();
    [alice, ben] = await Promise.all([loginAs(server.url, 'alice'), loginAs(server.url, 'ben')]);
    ws = server.demo!.workspaceId;
    const board = await alice.get(`/api/workspaces/${ws}/attack/board`);
    expect(board.status).toBe(200);
    docId = board.body.docId;
    expect((await ben.get(`/api/workspaces/${ws}/attack/board`)).body.docId).toBe(docId);
    a = connect(server, docId, alice);
    b = connect(server, docId, ben);
    await Promise.all([synced(a), synced(b)]);
  });
  afterAll(async () => {
    a?.destroy();
    b?.destroy();
    await server.stop();
  });

  const marks = (c: Client) => c.doc.getMap(MARKS_MAP).toJSON() as Record<string, { status: string; team: string }>;

  it('two teams marking the same technique at once both keep their mark', async () => {
    a.doc.getMap(MARKS_MAP).set(markKey('T1059.001', 'US'), { techniqueId: 'T1059.001', team: 'US', status: 'observed', score: 80, comment: 'DC01' });
    b.doc.getMap(MARKS_MAP).set(markKey('T1059.001', 'CA'), { techniqueId: 'T1059.001', team: 'CA', status: 'suspected' });
    await eventually(() => {
      expect(Object.keys(marks(a)).sort()).toEqual(['T1059.001|CA', 'T1059.001|US']);
      expect(marks(b)).toEqual(marks(a));
    });
  });

  it('exports a Navigator 4.5 layer for all teams or for one', async () => {
    const all = await alice.get(`/api/workspaces/${ws}/attack/layer?domain=enterprise-attack`);
    expect(all.status).toBe(200);
    expect(all.body.versions.layer).toBe('4.5');
    expect(all.body.domain).toBe('enterprise-attack');
    expect(all.body.techniques).toHaveLength(1);
    expect(all.body.techniques[0].comment).toContain('US: observed - DC01');
    expect(all.body.techniques[0].comment).toContain('CA: suspected');
    const ca = await alice.get(`/api/workspaces/${ws}/attack/layer?domain=enterprise-attack&team=CA`);
    expect(ca.body.techniques[0].metadata).toEqual([{ name: 'CA', value: 'suspected' }]);
  });

  it('imports a layer into the caller’s team marks, live on open boards', async () => {
    const layer = {
      versions: { layer: '4.5' },
      domain: 'enterprise-attack',
      techniques: [
        { techniqueID: 'T1071', score: 90 },
        { techniqueID: 'T1003.001', color: '#f5a524' },
      ],
    };
    const res = await ben.post(`/api/workspaces/${ws}/attack/layer?domain=enterprise-attack`, layer);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ team: 'CA', marks: 2 });
    await eventually(() => {
      expect(marks(a)['T1071|CA']).toMatchObject({ status: 'observed' });
      expect(marks(a)['T1003.001|CA']).toMatchObject({ status: 'suspected' });
      // The import replaced CA's marks; US keeps its own.
      expect(marks(a)['T1059.001|CA']).toBeUndefined();
      expect(marks(a)['T1059.001|US']).toMatchObject({ status: 'observed' });
    });
  });

  it('refuses another team’s marks from a hunter, bad layers and unknown techniques, changing nothing', async () => {
    const before = JSON.stringify(marks(a));
    const good = { versions: { layer: '4.5' }, domain: 'enterprise-attack', techniques: [{ techniqueID: 'T1110' }] };
    expect((await ben.post(`/api/workspaces/${ws}/attack/layer?team=US`, good)).status).toBe(403);
    const bad = await ben.post(`/api/workspaces/${ws}/attack/layer`, { versions: { layer: '4.5' }, domain: 'ics-attack', techniques: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('this layer is for ics-attack, not enterprise-attack');
    const unknown = await ben.post(`/api/workspaces/${ws}/attack/layer`, { versions: { layer: '4.5' }, domain: 'enterprise-attack', techniques: [{ techniqueID: 'T9999' }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/not in ATT&CK enterprise-attack: T9999/);
    await new Promise((r) => setTimeout(r, 200));
    expect(JSON.stringify(marks(a))).toBe(before);
    // An owner may load a layer on behalf of another team.
    expect((await alice.post(`/api/workspaces/${ws}/attack/layer?team=LV`, good)).status).toBe(201);
    await eventually(() => expect(marks(b)['T1110|LV']).toBeDefined());
  });
});

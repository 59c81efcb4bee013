/**
 * Issue 15, hole 2.5: the ATT&CK board taken over. The first reader of the board (an observer) used
 * to become its owner team, and a hunter of that team could then mark it AMBER+STRICT and lock the
 * workspace owners out. Now the board belongs to the workspace (its owner team is the workspace
 * creator's), only workspace owners change its marking, and owners always read it, over REST, the
 * layer routes and the document socket, and can re-mark it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '@huntroom/shared';
import { loginAs, type ApiClient } from '../helpers/http.js';
import { connect, startCollabServer, synced, upgradeStatus, wsUrl, type Client } from '../helpers/yjs.js';
import type { TestServer } from '../helpers/server.js';

function closeCode(c: Client): Promise<number> {
  return new Promise((resolve) => c.provider.on('connection-close', (e) => e && resolve(e.code)));
}

describe('ATT&CK board belongs to the workspace', () => {
  let server: TestServer;
  let alice: ApiClient; // US, created the workspace, owner
  let ben: ApiClient; // CA hunter, later owner
  let liga: ApiClient; // LV, made observer
  let ws: string;
  let teams: Map<string, string>;
  const board = (c: ApiClient) => c.get(`/api/workspaces/${ws}/attack/board`);
  const mark = (c: ApiClient, tlp: string) => c.patch(`/api/workspaces/${ws}/attack/board`, { marking: { tlp, releasableTo: [] } });

  beforeAll(async () => {
    server = await startCollabServer();
    [alice, ben, liga] = await Promise.all([loginAs(server.url, 'alice'), loginAs(server.url, 'ben'), loginAs(server.url, 'liga')]);
    ws = server.demo!.workspaceId;
    teams = new Map(((await alice.get('/api/teams')).body.teams as { id: string; code: string }[]).map((t) => [t.code, t.id]));
    expect((await alice.patch(`/api/workspaces/${ws}/members/liga`, { role: 'observer' })).status).toBe(200);
  });
  afterAll(() => server.stop());

  it('an observer reading the board first does not become its owner team', async () => {
    const first = await board(liga);
    expect(first.status).toBe(200);
    expect(first.body.ownerTeamId).toBe(teams.get('US'));
    expect(first.body.ownerTeamId).not.toBe(teams.get('LV'));
    expect((await board(ben)).body.ownerTeamId).toBe(teams.get('US'));
  });

  it('a hunter (or observer) cannot change the board’s marking, so cannot lock the owners out', async () => {
    for (const c of [ben, liga]) {
      const res = await mark(c, 'AMBER+STRICT');
      expect(res.status).toBe(403);
    }
    const now = await board(alice);
    expect(now.status).toBe(200);
    expect(now.body.marking).toEqual({ tlp: 'AMBER', releasableTo: [] });
  });

  it('owners always read the board (REST, layers, document socket) and can re-mark it; others follow the marking', async () => {
    // Ben becomes an owner: a CA owner of a board whose team is US.
    expect((await alice.patch(`/api/workspaces/${ws}/members/ben`, { role: 'owner' })).status).toBe(200);
    const docId = (await board(alice)).body.docId as string;
    const benDoc = connect(server, docId, ben);
    const ligaDoc = connect(server, docId, liga);
    await Promise.all([synced(benDoc), synced(ligaDoc)]);
    const ligaClosed = closeCode(ligaDoc);
    let benClosed = false;
    benDoc.provider.on('connection-close', () => (benClosed = true));

    expect((await mark(alice, 'AMBER+STRICT')).status).toBe(200);
    expect(await ligaClosed).toBe(CLOSE_CODES.forbidden);
    expect((await board(liga)).status).toBe(404);
    expect(await upgradeStatus(`${wsUrl(server.url)}/${docId}`, { cookie: liga.cookie! })).toBe(404);

    // Ben is not of the board's team, but owns the workspace: he keeps it all.
    expect((await board(ben)).status).toBe(200);
    expect((await ben.get(`/api/workspaces/${ws}/attack/layer`)).status).toBe(200);
    expect(await upgradeStatus(`${wsUrl(server.url)}/${docId}`, { cookie: ben.cookie! })).toBe(101);
    expect(benClosed).toBe(false);
    expect(benDoc.provider.wsconnected).toBe(true);

    // And he can change it back, after which the LV observer reads it again.
    const back = await mark(ben, 'AMBER');
    expect(back.status).toBe(200);
    expect(back.body.ownerTeamId).toBe(teams.get('US'));
    expect((await board(liga)).status).toBe(200);
    const audit = (await alice.get(`/api/workspaces/${ws}/audit`)).body.entries as { action: string }[];
    expect(audit.filter((e) => e.action === 'attack.marking_changed')).toHaveLength(2);
    benDoc.destroy();
    ligaDoc.destroy();
  });
});

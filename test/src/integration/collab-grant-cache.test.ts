/**
 * The upgrade's memory of recent grants (server/src/collab/grantCache.ts) never outlives the access it
 * records: a member removed, or a team that lost sight of a note by a narrower marking, is refused at
 * the very next upgrade, although a grant for that account and document was cached a moment before;
 * so is a member removed by another process writing to the same SQLite file (the CLI).
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../helpers/http.js';
import { loginAs } from '../helpers/http.js';
import { startCollabServer, upgradeStatus, wsUrl } from '../helpers/yjs.js';
import type { TestServer } from '../helpers/server.js';

/** The server's own cache, to check that the grant was really cached before access is taken away. */
type Grants = { get(accountId: string, docId: string): unknown } | undefined;
const grantsOf = (server: TestServer): Grants => (server.ctx.collab as unknown as { auth: { grants: Grants } }).auth.grants;

describe('collab: cached grants end with the access they record', () => {
  let server: TestServer;
  let alice: ApiClient;
  let ben: ApiClient;
  let liga: ApiClient;
  let ws: string;
  let ids: Record<string, string>;
  let teams: Record<string, string>;
  beforeAll(async () => {
    server = await startCollabServer();
    [alice, ben, liga] = await Promise.all([loginAs(server.url, 'alice'), loginAs(server.url, 'ben'), loginAs(server.url, 'liga')]);
    ws = server.demo!.workspaceId;
    const members = (await alice.get(`/api/workspaces/${ws}/members`)).body.members as { accountId: string; username: string }[];
    ids = Object.fromEntries(members.map((m) => [m.username, m.accountId]));
    const list = await alice.get('/api/teams');
    teams = Object.fromEntries((list.body.teams as { id: string; code: string }[]).map((t) => [t.code, t.id]));
  });
  afterAll(() => server.stop());

  const note = async (title: string): Promise<string> => {
    const res = await alice.post(`/api/workspaces/${ws}/notes`, { title });
    expect(res.status).toBe(201);
    return res.body.docId as string;
  };
  const ticketUrl = async (who: ApiClient, docId: string): Promise<string> => {
    const res = await who.post(`/api/docs/${docId}/ticket`);
    expect(res.status).toBe(201);
    return `${wsUrl(server.url)}/${docId}?ticket=${encodeURIComponent(res.body.ticket as string)}`;
  };
  /** Two upgrades that open: the first asks the database and caches the grant, the second is served from it. */
  const openTwice = async (who: ApiClient, docId: string, accountId: string): Promise<void> => {
    const first = await ticketUrl(who, docId);
    expect(await upgradeStatus(first)).toBe(101);
    expect(grantsOf(server)?.get(accountId, docId)).toBeDefined();
    expect(await upgradeStatus(await ticketUrl(who, docId))).toBe(101);
    // The cached path still spends tickets: a replay is refused.
    expect(await upgradeStatus(first)).toBe(401);
  };

  it('refuses a removed member at the next upgrade, by ticket and by cookie', async () => {
    const docId = await note('removal after a cached grant');
    const spare = await ticketUrl(ben, docId); // asked for while still a member
    await openTwice(ben, docId, ids.ben!);
    expect((await alice.delete(`/api/workspaces/${ws}/members/ben`)).status).toBe(200);
    expect(await upgradeStatus(spare)).toBe(404);
    expect(await upgradeStatus(`${wsUrl(server.url)}/${docId}`, { cookie: ben.cookie! })).toBe(404);
    expect((await alice.post(`/api/workspaces/${ws}/members`, { username: 'ben', role: 'hunter' })).status).toBe(201);
    expect(await upgradeStatus(await ticketUrl(ben, docId))).toBe(101);
  });

  it('refuses a team that lost sight of the note by a narrower marking', async () => {
    const docId = await note('narrowing after a cached grant');
    const spare = await ticketUrl(liga, docId);
    await openTwice(liga, docId, ids.liga!);
    const res = await alice.patch(`/api/workspaces/${ws}/notes/${docId}`, { marking: { tlp: 'RED', releasableTo: [teams.CA] } });
    expect(res.status).toBe(200);
    expect(await upgradeStatus(spare)).toBe(404);
    expect(await upgradeStatus(`${wsUrl(server.url)}/${docId}`, { cookie: liga.cookie! })).toBe(404);
  });

  it('refuses a member removed by another process writing the same database file', async () => {
    const docId = await note('removal by another process');
    const spare = await ticketUrl(ben, docId);
    await openTwice(ben, docId, ids.ben!);
    // Another connection, as the CLI would open one: the server's own write counter never sees this.
    const Database = createRequire(createRequire(import.meta.url).resolve('@huntroom/server'))('better-sqlite3') as new (file: string) => {
      prepare(sql: string): { run(...args: unknown[]): { changes: number } };
      close(): void;
    };
    const other = new Database(join(server.dataDir, 'huntroom.sqlite'));
    try {
      expect(other.prepare('DELETE FROM members WHERE workspace_id = ? AND account_id = ?').run(ws, ids.ben).changes).toBe(1);
    } finally {
      other.close();
    }
    expect(await upgradeStatus(spare)).toBe(404);
    expect((await alice.post(`/api/workspaces/${ws}/members`, { username: 'ben', role: 'hunter' })).status).toBe(201);
  });
});

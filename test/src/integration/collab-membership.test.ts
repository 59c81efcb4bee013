/**
 * Access changes reach open document sockets at once: a removed member's editor is closed (4403,
 * no reconnect), a hunter demoted to observer is reconnected and from then on cannot write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '@huntroom/shared';
import type { ApiClient } from '../helpers/http.js';
import { loginAs } from '../helpers/http.js';
import { connect, eventually, startCollabServer, synced, type Client } from '../helpers/yjs.js';
import type { TestServer } from '../helpers/server.js';

const closeCodes = (c: Client): number[] => {
  const codes: number[] = [];
  c.provider.on('connection-close', (e: CloseEvent | null) => e && codes.push(e.code));
  return codes;
};

describe('collab: membership changes on open sockets', () => {
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

  it('closes a removed member’s editor with 4403 and nothing they type afterwards lands', async () => {
    const docId = (await alice.post(`/api/workspaces/${ws}/notes`, { title: 'removal' })).body.docId as string;
    const a = connect(server, docId, alice);
    const b = connect(server, docId, ben);
    const codes = closeCodes(b);
    await Promise.all([synced(a), synced(b)]);
    b.text.insert(0, 'before ');
    await eventually(() => expect(a.text.toString()).toBe('before '));

    expect((await alice.delete(`/api/workspaces/${ws}/members/ben`)).status).toBe(200);
    await eventually(() => expect(codes).toContain(CLOSE_CODES.forbidden));
    b.text.insert(b.text.length, 'after');
    await new Promise((r) => setTimeout(r, 300));
    expect(a.text.toString()).toBe('before ');
    a.destroy();
    b.destroy();
    // Put ben back for the next test.
    expect((await alice.post(`/api/workspaces/${ws}/members`, { username: 'ben', role: 'hunter' })).status).toBe(201);
  });

  it('reconnects a demoted member as read-only: their later edits are not applied', async () => {
    const docId = (await alice.post(`/api/workspaces/${ws}/notes`, { title: 'demotion' })).body.docId as string;
    const a = connect(server, docId, alice);
    const b = connect(server, docId, ben);
    const codes = closeCodes(b);
    await Promise.all([synced(a), synced(b)]);

    expect((await alice.patch(`/api/workspaces/${ws}/members/ben`, { role: 'observer' })).status).toBe(200);
    await eventually(() => expect(codes).toContain(CLOSE_CODES.accessChanged));
    // y-websocket reconnects by itself on a 45xx code; as an observer it still reads live.
    await eventually(() => expect(b.provider.wsconnected).toBe(true));
    a.text.insert(0, 'from alice');
    await eventually(() => expect(b.text.toString()).toBe('from alice'));
    b.text.insert(0, 'observer write ');
    await new Promise((r) => setTimeout(r, 300));
    expect(a.text.toString()).toBe('from alice');
    a.destroy();
    b.destroy();
  });
});

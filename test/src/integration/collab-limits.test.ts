/** Per-account socket and document limits (HTTP 429 before open) and the heartbeat that drops dead peers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loginAs, type ApiClient } from '../helpers/http.js';
import { connect, eventually, startCollabServer, synced, upgradeStatus, wsUrl } from '../helpers/yjs.js';
import type { TestServer } from '../helpers/server.js';

describe('collab: limits and heartbeat', () => {
  let server: TestServer;
  let alice: ApiClient;
  const notes: string[] = [];
  beforeAll(async () => {
    server = await startCollabServer({ maxConnectionsPerAccount: 3, maxDocumentsPerAccount: 2, heartbeatMs: 150 });
    alice = await loginAs(server.url, 'alice');
    for (let i = 0; i < 3; i++) notes.push((await alice.post(`/api/workspaces/${server.demo!.workspaceId}/notes`, { title: `n${i}` })).body.id);
  });
  afterAll(() => server.stop());

  it('refuses a third document and a fourth socket for one account with 429, not other accounts', async () => {
    const a = connect(server, notes[0]!, alice);
    const b = connect(server, notes[1]!, alice);
    await Promise.all([synced(a), synced(b)]);
    expect(await upgradeStatus(`${wsUrl(server.url)}/${notes[2]}`, { cookie: alice.cookie! })).toBe(429);
    const c = connect(server, notes[0]!, alice); // same document again: a second tab is fine
    await synced(c);
    expect(await upgradeStatus(`${wsUrl(server.url)}/${notes[0]}`, { cookie: alice.cookie! })).toBe(429);
    const ben = await loginAs(server.url, 'ben');
    expect(await upgradeStatus(`${wsUrl(server.url)}/${notes[2]}`, { cookie: ben.cookie! })).toBe(101);
    for (const x of [a, b, c]) x.destroy();
    // Slots are given back when sockets close.
    await eventually(async () => expect(await upgradeStatus(`${wsUrl(server.url)}/${notes[2]}`, { cookie: alice.cookie! })).toBe(101));
  });

  it('terminates a peer that stops answering pings, and keeps one that answers', async () => {
    const live = connect(server, notes[1]!, alice);
    await synced(live);
    const dead = new WebSocket(`${wsUrl(server.url)}/${notes[1]}`, { headers: { cookie: alice.cookie! }, autoPong: false });
    dead.on('error', () => undefined);
    await new Promise((r) => dead.once('open', r));
    const started = Date.now();
    const code = await new Promise<number>((resolve) => dead.once('close', (c) => resolve(c)));
    expect(code).toBe(1006); // terminated: no close frame for a peer that no longer listens
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(live.provider.wsconnected).toBe(true);
    live.destroy();
  });
});

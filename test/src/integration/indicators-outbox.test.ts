/**
 * The client library of the record plane (client/src/lib/records) against the real server: commands
 * issued while offline are replayed on reconnect, missed events arrive through sync, nothing twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import type { RecordEvent } from '@huntroom/shared';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { MemoryOutboxStore, RecordClient, type Projection } from '../../../client/src/lib/records/index.js';
import { connect, eventually, login, type Client } from './indicators-helpers.js';

describe('client outbox and sync against the server', () => {
  let server: TestServer;
  let ws: string;
  let alice: Client;
  beforeAll(async () => {
    server = await startTestServer();
    ws = server.demo!.workspaceId;
    alice = await connect(server.url, await login(server.url, 'alice'), ws);
  });
  afterAll(async () => {
    alice.close();
    await server.stop();
  });

  it('replays offline commands once and catches up on what it missed', async () => {
    const benApi = await login(server.url, 'ben');
    const socket = io(server.url, { transports: ['websocket'], extraHeaders: { cookie: benApi.cookie! }, forceNew: true, autoConnect: false });
    const values = new Map<string, string>();
    const applied: RecordEvent[] = [];
    const projection: Projection = {
      apply: (e) => {
        applied.push(e);
        const ind = (e.payload as any).indicator;
        if (ind) values.set(ind.id, ind.value);
      },
      reset: (records) => records.indicators!.forEach((i: any) => values.set(i.id, i.value)),
    };
    const client = new RecordClient({ socket, workspaceId: ws, projection, store: new MemoryOutboxStore(), ackTimeoutMs: 5_000 });
    await client.start();
    socket.connect();
    expect(await client.command('indicator:create', { type: 'domain', value: 'online.example' })).toMatchObject({ ok: true });

    socket.disconnect();
    const offline = [
      client.command('indicator:create', { type: 'domain', value: 'offline-1.example' }),
      client.command('indicator:create', { type: 'domain', value: 'offline-2.example' }),
    ];
    await eventually(() => expect(client.outbox.pending).toBe(2));
    await alice.cmd('indicator:create', { type: 'domain', value: 'missed-while-away.example' });

    socket.connect();
    const acks = await Promise.all(offline);
    expect(acks.map((a) => a.ok)).toEqual([true, true]);
    expect(client.outbox.pending).toBe(0);
    await eventually(() => expect([...values.values()]).toEqual(expect.arrayContaining(['online.example', 'offline-1.example', 'offline-2.example', 'missed-while-away.example'])));
    const seqs = applied.map((e) => e.seq);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    const list = await benApi.get(`/api/workspaces/${ws}/indicators?q=.example`);
    expect(list.body.total).toBe(4);
    socket.disconnect();
  });
});

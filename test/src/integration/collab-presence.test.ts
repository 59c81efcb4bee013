/**
 * Issue 15, hole 2.7: presence spoofing and awareness floods, with real y-websocket / y-protocols
 * clients. An observer sending awareness states for another client's id is ignored (a third client
 * still sees the victim's own state), whether in a later message or in its very first one; a forged
 * name or team is replaced by the session's; and a client flooding awareness (1,000 messages a
 * second of 100 KB) is closed with 4529 while a bystander in another room stays responsive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { CLOSE_CODES } from '@huntroom/shared';
import { loginAs, type ApiClient } from '../helpers/http.js';
import { awarenessMessage, bystanders, connect, eventually, rawSocket, startCollabServer, synced, type Client, type RawSocket } from '../helpers/yjs.js';
import type { TestServer } from '../helpers/server.js';

interface Presence {
  user?: { name?: string; username?: string; team?: string; color?: string };
  cursor?: string;
}

/** Sends sync step 1 on a raw socket and waits for the server's step 2: everything sent before it was handled. */
async function roundTrip(raw: RawSocket): Promise<void> {
  const seen = raw.messages.length;
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint8Array(e, Y.encodeStateVector(new Y.Doc()));
  raw.ws.send(encoding.toUint8Array(e));
  await eventually(() => expect(raw.messages.slice(seen).some((m) => m[0] === 0 && m[1] === 1)).toBe(true));
}

const stateAt = (viewer: Client, clientId: number) => viewer.provider.awareness.getStates().get(clientId) as Presence | undefined;

describe('collab: presence is the session’s own', () => {
  let server: TestServer;
  let alice: ApiClient; // US owner: the victim
  let ben: ApiClient; // CA hunter: the third client
  let liga: ApiClient; // LV, made observer: the attacker
  let ws: string;
  let docId: string;
  let victim: Client;
  let third: Client;

  beforeAll(async () => {
    server = await startCollabServer();
    [alice, ben, liga] = await Promise.all([loginAs(server.url, 'alice'), loginAs(server.url, 'ben'), loginAs(server.url, 'liga')]);
    ws = server.demo!.workspaceId;
    expect((await alice.patch(`/api/workspaces/${ws}/members/liga`, { role: 'observer' })).status).toBe(200);
    docId = (await alice.post(`/api/workspaces/${ws}/notes`, { title: 'presence' })).body.docId;
    victim = connect(server, docId, alice);
    victim.provider.awareness.setLocalState({ user: { name: 'Alice Carter', username: 'alice', team: 'US', color: '#4e9af1' }, cursor: 'line 3' });
    third = connect(server, docId, ben);
    await Promise.all([synced(victim), synced(third)]);
    await eventually(() => expect(stateAt(third, victim.doc.clientID)?.cursor).toBe('line 3'));
  });
  afterAll(async () => {
    victim?.destroy();
    third?.destroy();
    await server.stop();
  });

  it('drops an observer’s states for another client’s id (the victim’s state unchanged for a third client)', async () => {
    const attacker = connect(server, docId, liga);
    attacker.provider.awareness.setLocalState({ cursor: 'attacker here' });
    await synced(attacker);
    await eventually(() => expect(stateAt(third, attacker.doc.clientID)?.cursor).toBe('attacker here'));
    // A later message from the same socket, for Alice's id: name, team and text rewritten.
    attacker.provider.ws!.send(
      awarenessMessage(victim.doc.clientID, { user: { name: 'Alice Carter', username: 'alice', team: 'US', color: '#4e9af1' }, cursor: 'FORGED: delete the notes' }),
    );
    attacker.provider.ws!.send(awarenessMessage(victim.doc.clientID, null, 2_000)); // nor may it remove her
    // Then something of its own: once the third client sees that, the forged messages were handled.
    attacker.provider.awareness.setLocalStateField('cursor', 'attacker moved');
    await eventually(() => expect(stateAt(third, attacker.doc.clientID)?.cursor).toBe('attacker moved'));
    expect(stateAt(third, victim.doc.clientID)).toMatchObject({ cursor: 'line 3', user: { name: 'Alice Carter', team: 'US' } });
    expect(stateAt(victim, victim.doc.clientID)?.cursor).toBe('line 3');
    attacker.destroy();
  });

  it('drops another client’s id even in a connection’s first awareness message', async () => {
    const raw = rawSocket(server, docId, liga.cookie);
    await raw.opened;
    const own = 424242;
    // First message: the victim's id. Second: an id of its own (already past its first message: dropped too).
    raw.ws.send(awarenessMessage(victim.doc.clientID, { cursor: 'FORGED in first message' }));
    raw.ws.send(awarenessMessage(own, { cursor: 'raw own' }));
    await roundTrip(raw);
    // A fresh raw socket whose first message is its own id shows up, stamped.
    const raw2 = rawSocket(server, docId, liga.cookie);
    await raw2.opened;
    raw2.ws.send(awarenessMessage(own + 1, { cursor: 'raw2 own' }));
    await eventually(() => expect(stateAt(third, own + 1)).toMatchObject({ cursor: 'raw2 own', user: { username: 'liga', team: 'LV' } }));
    expect(stateAt(third, victim.doc.clientID)?.cursor).toBe('line 3');
    expect(stateAt(third, own)).toBeUndefined();
    raw.ws.close();
    raw2.ws.close();
  });

  it('replaces a forged name and team with the session’s', async () => {
    const ca = connect(server, docId, ben);
    ca.provider.awareness.setLocalState({ user: { name: 'Alice Carter', username: 'alice', team: 'US', color: '#4e9af1' }, cursor: 'posing' });
    await synced(ca);
    await eventually(() => expect(stateAt(third, ca.doc.clientID)?.cursor).toBe('posing'));
    expect(stateAt(third, ca.doc.clientID)?.user).toEqual({ name: 'Ben Tremblay', username: 'ben', team: 'CA', color: '#e5484d' });
    // And the victim, who never sent anything forged, is still herself.
    expect(stateAt(third, victim.doc.clientID)?.user).toMatchObject({ name: 'Alice Carter', username: 'alice', team: 'US' });
    ca.destroy();
  });
});

describe('collab: an awareness flood is cut off', () => {
  let server: TestServer;
  let alice: ApiClient;
  let ben: ApiClient;
  let writer: Client;
  let reader: Client;
  let honest: ReturnType<typeof bystanders>;

  beforeAll(async () => {
    server = await startCollabServer();
    [alice, ben] = await Promise.all([loginAs(server.url, 'alice'), loginAs(server.url, 'ben')]);
    const ws = server.demo!.workspaceId;
    const room = (await alice.post(`/api/workspaces/${ws}/notes`, { title: 'bystanders' })).body.docId;
    writer = connect(server, room, alice);
    reader = connect(server, room, ben);
    await Promise.all([synced(writer), synced(reader)]);
    honest = bystanders(writer, reader);
  });
  afterAll(async () => {
    writer?.destroy();
    reader?.destroy();
    await server.stop();
  });

  const bystanderP99 = () => honest.p99();

  it('closes a client sending 1,000 awareness messages a second of 100 KB with 4529; another room stays responsive', async () => {
    const ws = server.demo!.workspaceId;
    const target = (await ben.post(`/api/workspaces/${ws}/notes`, { title: 'flooded' })).body.docId;
    const raw = rawSocket(server, target, ben.cookie);
    await raw.opened;
    // With no flood first: the flood may add at most 100 ms to the p99 the machine gives anyway.
    const quiet = await bystanderP99();
    const big = awarenessMessage(777, { cursor: 'x'.repeat(100 * 1024) });
    let sent = 0;
    let open = true;
    void raw.closed.then(() => (open = false));
    // 10 messages every 10 ms for at most 3 s: 1,000 a second.
    const flood = (async () => {
      const end = performance.now() + 3_000;
      while (open && performance.now() < end) {
        for (let i = 0; i < 10 && open; i++, sent++) raw.ws.send(big);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const during = bystanderP99();
    const closed = await raw.closed;
    await flood;
    expect(closed.code).toBe(CLOSE_CODES.rateLimited);
    expect(sent).toBeLessThan(3_000);
    const duringP99 = await during;
    const afterP99 = await bystanderP99();
    console.log(`awareness flood closed with ${closed.code} after ${sent} messages sent; bystander p99 ${quiet} ms quiet, ${duringP99} during, ${afterP99} after`);
    expect(duringP99 - quiet).toBeLessThan(100);
    expect(afterP99 - quiet).toBeLessThan(100);
  });
});

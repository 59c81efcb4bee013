/**
 * Issue 15, hole 2.4: ATT&CK marks forged across teams over the document socket. A CA hunter's real
 * y-websocket client overwrites and deletes a US mark, and sends crafted bytes that make Yjs delete it
 * through a neighbour: each update is refused as a whole (4403, no reconnect), and the US mark, what
 * other clients see and the US layer export stay as they were. A CA hunter's own marks still go
 * through, and a workspace owner may write any team's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { CLOSE_CODES, MARKS_MAP, markKey } from '@huntroom/shared';
import { loginAs, type ApiClient } from '../helpers/http.js';
import { connect, eventually, rawSocket, startCollabServer, synced, type Client } from '../helpers/yjs.js';
import type { TestServer } from '../helpers/server.js';

/** Resolves with the close code the server sends this client (y-websocket does not reconnect on 44xx). */
function closeCode(c: Client): Promise<number> {
  return new Promise((resolve) => c.provider.on('connection-close', (e) => e && resolve(e.code)));
}

/** A sync update message (type 0, sub-type 2). */
function updateMessage(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, 2);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

describe('ATT&CK board: a team’s marks are written only by that team and owners (document socket)', () => {
  let server: TestServer;
  let alice: ApiClient; // US, workspace owner
  let ben: ApiClient; // CA, hunter
  let liga: ApiClient; // LV, hunter
  let ws: string;
  let docId: string;
  let us: Client;
  let witness: Client;
  const US_KEY = markKey('T1059.001', 'US');
  const usMark = { techniqueId: 'T1059.001', team: 'US', status: 'observed', score: 80, comment: 'DC01 beacon' };

  const layer = async (team: string) => (await alice.get(`/api/workspaces/${ws}/attack/layer?domain=enterprise-attack&team=${team}`)).body;
  const marksOf = (c: Client) => c.doc.getMap(MARKS_MAP).toJSON() as Record<string, unknown>;

  beforeAll(async () => {
    server = await startCollabServer();
    [alice, ben, liga] = await Promise.all([loginAs(server.url, 'alice'), loginAs(server.url, 'ben'), loginAs(server.url, 'liga')]);
    ws = server.demo!.workspaceId;
    docId = (await alice.get(`/api/workspaces/${ws}/attack/board`)).body.docId;
    us = connect(server, docId, alice);
    witness = connect(server, docId, liga);
    await Promise.all([synced(us), synced(witness)]);
    us.doc.getMap(MARKS_MAP).set(US_KEY, usMark);
    await eventually(() => expect(marksOf(witness)[US_KEY]).toEqual(usMark));
  });
  afterAll(async () => {
    us?.destroy();
    witness?.destroy();
    await server.stop();
  });

  /** Nothing of a refused update reached anyone: a fresh client, the witness and the layer agree. */
  async function usMarkIntact(layerBefore: unknown) {
    const fresh = connect(server, docId, liga);
    await synced(fresh);
    expect(marksOf(fresh)[US_KEY]).toEqual(usMark);
    expect(Object.keys(marksOf(fresh)).filter((k) => k.endsWith('|US'))).toEqual([US_KEY]);
    fresh.destroy();
    expect(marksOf(witness)[US_KEY]).toEqual(usMark);
    expect(marksOf(us)[US_KEY]).toEqual(usMark);
    expect(await layer('US')).toEqual(layerBefore);
  }

  it('refuses a CA hunter overwriting a US mark ("not found", a forged comment) with 4403', async () => {
    const before = await layer('US');
    expect(JSON.stringify(before)).toContain('DC01 beacon');
    const ca = connect(server, docId, ben);
    await synced(ca);
    const closed = closeCode(ca);
    ca.doc.getMap(MARKS_MAP).set(US_KEY, { techniqueId: 'T1059.001', team: 'US', status: 'not-found', comment: 'nothing here, close the ticket' });
    expect(await closed).toBe(CLOSE_CODES.forbidden);
    ca.destroy();
    await usMarkIntact(before);
    expect(JSON.stringify(await layer('US'))).not.toContain('close the ticket');
  });

  it('refuses a CA hunter deleting a US mark, or writing a US mark under a CA key', async () => {
    const before = await layer('US');
    for (const forge of [
      (m: Y.Map<unknown>) => m.delete(US_KEY),
      (m: Y.Map<unknown>) => m.set(markKey('T1003', 'CA'), { techniqueId: 'T1003', team: 'US', status: 'observed', comment: 'forged as US' }),
    ]) {
      const ca = connect(server, docId, ben);
      await synced(ca);
      const closed = closeCode(ca);
      forge(ca.doc.getMap(MARKS_MAP));
      expect(await closed).toBe(CLOSE_CODES.forbidden);
      ca.destroy();
    }
    await usMarkIntact(before);
    expect(JSON.stringify(await layer('US'))).not.toContain('forged as US');
  });

  it('refuses crafted bytes that would make Yjs delete the US mark through a CA entry', async () => {
    const before = await layer('US');
    const clientId = us.doc.clientID;
    const clock = Y.getState(us.doc.store, clientId);
    // One item under the US client's id, starting at its last known clock, explicit key T1071|CA:
    // Yjs skips the known first value and links the rest after the US entry, deleting it.
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, clientId);
    encoding.writeVarUint(e, clock - 1);
    encoding.writeUint8(e, 8 | 32);
    encoding.writeVarUint(e, 1);
    encoding.writeVarString(e, MARKS_MAP);
    encoding.writeVarString(e, markKey('T1071', 'CA'));
    encoding.writeVarUint(e, 2);
    encoding.writeAny(e, null);
    encoding.writeAny(e, { techniqueId: 'T1071', team: 'CA', status: 'observed' });
    encoding.writeVarUint(e, 0);
    const raw = rawSocket(server, docId, ben.cookie);
    await raw.opened;
    raw.ws.send(updateMessage(encoding.toUint8Array(e)));
    expect((await raw.closed).code).toBe(CLOSE_CODES.forbidden);
    await usMarkIntact(before);
  });

  it('lets a CA hunter write CA marks, and an owner write any team’s', async () => {
    const ca = connect(server, docId, ben);
    await synced(ca);
    ca.doc.getMap(MARKS_MAP).set(markKey('T1071', 'CA'), { techniqueId: 'T1071', team: 'CA', status: 'suspected', score: 40 });
    await eventually(() => expect(marksOf(witness)[markKey('T1071', 'CA')]).toMatchObject({ status: 'suspected' }));
    ca.doc.getMap(MARKS_MAP).delete(markKey('T1071', 'CA'));
    await eventually(() => expect(marksOf(witness)[markKey('T1071', 'CA')]).toBeUndefined());
    expect(ca.provider.wsconnected).toBe(true);
    // Alice owns the workspace: she may correct CA's and LV's marks.
    us.doc.getMap(MARKS_MAP).set(markKey('T1110', 'CA'), { techniqueId: 'T1110', team: 'CA', status: 'not-found' });
    us.doc.getMap(MARKS_MAP).set(markKey('T1110', 'LV'), { techniqueId: 'T1110', team: 'LV', status: 'observed' });
    await eventually(() => {
      expect(marksOf(ca)[markKey('T1110', 'CA')]).toMatchObject({ status: 'not-found' });
      expect(marksOf(witness)[markKey('T1110', 'LV')]).toMatchObject({ status: 'observed' });
    });
    expect(us.provider.wsconnected).toBe(true);
    expect((await layer('CA')).techniques.map((t: { techniqueID: string }) => t.techniqueID)).toEqual(['T1110']);
    ca.destroy();
  });
});

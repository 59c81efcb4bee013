/**
 * Presence across two nodes (issue 15, 2.7): a state relayed from another node keeps the name its own
 * node stamped, and a client on the other node cannot take that client id over.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { loginAs, type ApiClient } from '../helpers/http.js';
import { awarenessMessage, connect, eventually, rawSocket, synced, type Client } from '../helpers/yjs.js';
import { Cluster, clusterAvailable, type Node } from './cluster.js';

const stateAt = (viewer: Client, id: number) => viewer.provider.awareness.getStates().get(id) as { cursor?: string; user?: { username?: string; name?: string } } | undefined;

describe.skipIf(!clusterAvailable)('cluster: presence is stamped by the node its client is on', () => {
  const cluster = new Cluster();
  let a: Node;
  let b: Node;
  let aliceA: ApiClient;
  let benA: ApiClient;
  let benB: ApiClient;
  let ligaB: ApiClient;
  let ws: string;
  beforeAll(async () => {
    a = await cluster.start();
    b = await cluster.start();
    [aliceA, benA, benB, ligaB] = await Promise.all([loginAs(a.url, 'alice'), loginAs(a.url, 'ben'), loginAs(b.url, 'ben'), loginAs(b.url, 'liga')]);
    ws = (await aliceA.get('/api/workspaces')).body.workspaces[0].id;
  }, 90_000);
  afterAll(() => cluster.stop(), 60_000);

  it('a client on node B cannot take over the id of a client on node A', async () => {
    const docId = (await aliceA.post(`/api/workspaces/${ws}/notes`, { title: 'presence across nodes' })).body.docId as string;
    const victim = connect(a, docId, aliceA);
    const onA = connect(a, docId, benA);
    const onB = connect(b, docId, benB);
    await Promise.all([synced(victim), synced(onA), synced(onB)]);
    // Set once node B has the document open (and so listens on its channel): a state published before
    // reaches B only with the client's next heartbeat, up to 15 s later (docs/security.md, presence
    // across nodes), which is not what this case is about.
    victim.provider.awareness.setLocalState({ user: { name: 'someone else' }, cursor: 'line 7' });
    const id = victim.doc.clientID;
    // Node B shows what node A stamped: Alice's name, not what her client claimed.
    await eventually(() => expect(stateAt(onB, id)).toMatchObject({ cursor: 'line 7', user: { username: 'alice', name: 'Alice Carter' } }), 10_000);

    // Liga on node B claims Alice's id in her first awareness message; later, a raw socket of hers
    // introduces its own id, which both nodes show under her name.
    const forged = rawSocket(b, docId, ligaB.cookie);
    await forged.opened;
    forged.ws.send(awarenessMessage(id, { cursor: 'FORGED from node B' }));
    const own = rawSocket(b, docId, ligaB.cookie);
    await own.opened;
    own.ws.send(awarenessMessage(9_999_001, { cursor: 'liga here' }));
    await eventually(() => expect(stateAt(onA, 9_999_001)).toMatchObject({ cursor: 'liga here', user: { username: 'liga' } }), 10_000);
    // The forged socket's message came first on its own socket; a sync round trip there proves it was handled.
    const seen = forged.messages.length;
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint8Array(e, Y.encodeStateVector(new Y.Doc()));
    forged.ws.send(encoding.toUint8Array(e));
    await eventually(() => expect(forged.messages.slice(seen).some((m) => m[0] === 0 && m[1] === 1)).toBe(true));
    for (const viewer of [onA, onB]) expect(stateAt(viewer, id)?.cursor).toBe('line 7');
    forged.ws.close();
    own.ws.close();
    for (const c of [victim, onA, onB]) c.destroy();
  });

  it('a claim made on a node that had not yet heard of the id does not reach the victim’s node', async () => {
    // Node B has never opened this note: when Liga opens it there, B knows nothing of Alice's presence
    // (awareness is not stored), only her client id, which the note's content carries.
    const docId = (await aliceA.post(`/api/workspaces/${ws}/notes`, { title: 'presence race' })).body.docId as string;
    const victim = connect(a, docId, aliceA);
    victim.provider.awareness.setLocalState({ cursor: 'line 9' });
    const onA = connect(a, docId, benA);
    await Promise.all([synced(victim), synced(onA)]);
    const id = victim.doc.clientID;
    await eventually(() => expect(stateAt(onA, id)?.cursor).toBe('line 9'));
    const forged = rawSocket(b, docId, ligaB.cookie);
    await forged.opened;
    forged.ws.send(awarenessMessage(id, { cursor: 'HIJACKED' }, 1_000_000));
    // Then an id of her own from node B; node B relays in order, so once node A shows it, it has
    // handled the forged state too.
    const own = rawSocket(b, docId, ligaB.cookie);
    await own.opened;
    own.ws.send(awarenessMessage(9_999_002, { cursor: 'liga again' }));
    await eventually(() => expect(stateAt(onA, 9_999_002)).toMatchObject({ cursor: 'liga again', user: { username: 'liga' } }), 10_000);
    expect(stateAt(onA, id)).toMatchObject({ cursor: 'line 9', user: { username: 'alice' } });
    // Alice keeps moving, and node A still shows her.
    victim.provider.awareness.setLocalStateField('cursor', 'line 10');
    await eventually(() => expect(stateAt(onA, id)?.cursor).toBe('line 10'));
    forged.ws.close();
    own.ws.close();
    for (const c of [victim, onA]) c.destroy();
  });
});

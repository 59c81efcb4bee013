import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import type { Account } from '@huntroom/shared';
import type { LiveDocument } from './LiveDocument.js';
import { vetAwareness, vetRemoteAwareness, type PresencePeer } from './presence.js';

const account = (username: string, team: string): Account => ({
  id: `id-${username}`,
  username,
  displayName: username.toUpperCase(),
  team: { id: `t-${team}`, code: team, name: team, color: '#123456' },
});

function peer(a: Account): PresencePeer {
  return { account: a, presenceIds: undefined, awarenessIds: new Set(), send: () => undefined, sendFrame: () => undefined, close: () => undefined };
}

/** An awareness update for `clientId` with `state`, as a y-protocols client would send it. */
function update(clientId: number, state: Record<string, unknown> | null, clock = 1): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  const a = new Awareness(doc);
  a.setLocalState(state);
  a.meta.set(clientId, { clock, lastUpdated: 0 });
  const u = encodeAwarenessUpdate(a, [clientId]);
  a.destroy();
  return u;
}

function room() {
  const awareness = new Awareness(new Y.Doc());
  awareness.setLocalState(null);
  const doc = { peers: new Set<PresencePeer>(), awareness } as unknown as LiveDocument & { peers: Set<PresencePeer> };
  const apply = (p: PresencePeer, u: Uint8Array) => {
    const own = vetAwareness(p, doc, u);
    if (own instanceof Uint8Array) applyAwarenessUpdate(awareness, own, p);
    return own;
  };
  return { doc, awareness, apply };
}

describe('vetAwareness', () => {
  it('stamps the user from the session and keeps the rest of the state', () => {
    const { doc, awareness, apply } = room();
    const ben = peer(account('ben', 'CA'));
    doc.peers.add(ben);
    apply(ben, update(7, { user: { name: 'Alice', team: 'US' }, cursor: 3 }));
    expect(awareness.getStates().get(7)).toEqual({ user: { name: 'BEN', username: 'ben', team: 'CA', color: '#123456' }, cursor: 3 });
  });

  it('keeps a connection to the ids of its first message; another account never takes a held id', () => {
    const { doc, awareness, apply } = room();
    const alice = peer(account('alice', 'US'));
    const liga = peer(account('liga', 'LV'));
    doc.peers.add(alice).add(liga);
    apply(alice, update(1, { cursor: 'a' }));
    expect(apply(liga, update(1, { cursor: 'forged' }, 5))).toBeUndefined(); // first message, held id
    expect(apply(liga, update(2, { cursor: 'late' }))).toBeUndefined(); // not its first message
    expect(awareness.getStates().get(1)).toMatchObject({ cursor: 'a' });
    expect(awareness.getStates().has(2)).toBe(false);
    expect(vetAwareness(liga, doc, new Uint8Array([1, 9, 9, 200]))).toBe('malformed');
  });

  it('moves an id to a newer socket of the same account (a reconnect), so the old one’s close leaves it', () => {
    const { doc, awareness, apply } = room();
    const old = peer(account('alice', 'US'));
    doc.peers.add(old);
    apply(old, update(1, { cursor: 'before' }));
    const fresh = peer(account('alice', 'US'));
    doc.peers.add(fresh);
    apply(fresh, update(1, { cursor: 'after' }, 2));
    expect(awareness.getStates().get(1)).toMatchObject({ cursor: 'after' });
    expect(old.presenceIds?.has(1)).toBe(false);
    expect(old.awarenessIds.has(1)).toBe(false);
    expect(apply(old, update(1, { cursor: 'stale' }, 3))).toBeUndefined();
  });

  it('drops states that are not objects, lets a client remove its own', () => {
    const { doc, awareness, apply } = room();
    const ben = peer(account('ben', 'CA'));
    doc.peers.add(ben);
    apply(ben, update(3, { cursor: 1 }));
    expect(apply(ben, update(3, [1, 2] as unknown as Record<string, unknown>, 2))).toBeUndefined();
    apply(ben, update(3, null, 3));
    expect(awareness.getStates().has(3)).toBe(false);
  });

  it('drops states relayed from another node for an id a connection here holds for another account', () => {
    const { doc, awareness, apply } = room();
    const alice = peer(account('alice', 'US'));
    doc.peers.add(alice);
    apply(alice, update(1, { cursor: 'mine' }));
    // Another node let LV claim id 1 before it knew of Alice, and relays LV's stamped state.
    expect(vetRemoteAwareness(doc, update(1, { user: { username: 'liga' }, cursor: 'hijack' }, 99))).toBeUndefined();
    expect(vetRemoteAwareness(doc, update(1, null, 99))).toBeUndefined();
    // Her own state from elsewhere, and other ids, pass.
    expect(vetRemoteAwareness(doc, update(1, { user: { username: 'alice' } }, 99))).toBeInstanceOf(Uint8Array);
    expect(vetRemoteAwareness(doc, update(2, { user: { username: 'liga' } }))).toBeInstanceOf(Uint8Array);
    expect(vetRemoteAwareness(doc, new Uint8Array([5]))).toBeUndefined();
    expect(awareness.getStates().get(1)).toMatchObject({ cursor: 'mine' });
  });
});

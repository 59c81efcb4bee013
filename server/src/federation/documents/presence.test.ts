import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as decoding from 'lib0/decoding';
import { stampRemotePresence } from './incoming.js';

/** An awareness update carrying each (clientId, state) as a peer's server would relay it. */
function update(states: [number, Record<string, unknown> | null][]): Uint8Array {
  const doc = new Y.Doc();
  const a = new Awareness(doc);
  for (const [id, state] of states) {
    a.states.set(id, state as Record<string, unknown>);
    a.meta.set(id, { clock: 3, lastUpdated: Date.now() });
    if (state === null) a.states.delete(id);
  }
  const out = encodeAwarenessUpdate(
    a,
    states.map(([id]) => id),
  );
  a.destroy();
  doc.destroy();
  return out;
}

function states(u: Uint8Array): Map<number, unknown> {
  const d = decoding.createDecoder(u);
  const out = new Map<number, unknown>();
  const n = decoding.readVarUint(d);
  for (let i = 0; i < n; i++) {
    const id = decoding.readVarUint(d);
    decoding.readVarUint(d);
    out.set(id, JSON.parse(decoding.readVarString(d)));
  }
  return out;
}

const colors = new Map([['LV', '#3355aa']]);

describe('stampRemotePresence', () => {
  it('names the peer users name@instance with the team colour known here, keeps the rest of the state', () => {
    const out = stampRemotePresence(update([[7, { cursor: { at: 3 }, user: { name: 'Liga', username: 'liga', team: 'LV', color: '#000000' } }]]), 'lv-cert', colors);
    expect(states(out!).get(7)).toEqual({ cursor: { at: 3 }, user: { name: 'Liga (lv-cert)', username: 'liga@lv-cert', team: 'LV', color: '#3355aa' } });
  });

  it('drops users of teams the link does not speak for, states without a user, and keeps removals', () => {
    const out = stampRemotePresence(
      update([
        [1, { user: { name: 'Alice', username: 'alice', team: 'US', color: '#ffffff' } }],
        [2, { cursor: 1 }],
        [3, null],
        [4, { user: { name: 'Lauris', username: 'lauris@elsewhere', team: 'LV', color: '#ffffff' } }],
      ]),
      'lv-cert',
      colors,
    );
    const s = states(out!);
    expect([...s.keys()]).toEqual([3, 4]);
    expect(s.get(3)).toBeNull();
    expect((s.get(4) as { user: { username: string } }).user.username).toBe('lauris@lv-cert');
  });

  it('answers undefined for bytes that are not an awareness update, or nothing left', () => {
    expect(stampRemotePresence(new Uint8Array([200, 1, 2]), 'lv-cert', colors)).toBeUndefined();
    expect(stampRemotePresence(update([[1, { user: { name: 'A', username: 'a', team: 'US', color: '#fff' } }]]), 'lv-cert', colors)).toBeUndefined();
  });
});

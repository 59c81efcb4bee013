import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { MARKS_MAP, type Role } from '@huntroom/shared';
import { MarksGuard } from './marksGuard.js';
import type { Writer } from '../collab/writeGuard.js';

const writer = (team: string, role: Role = 'hunter'): Writer => ({
  account: { id: `a-${team}`, username: team.toLowerCase(), displayName: team, team: { id: `t-${team}`, code: team, name: team, color: '#000000' } },
  role,
});
const CA = writer('CA');
const CA_OWNER = writer('CA', 'owner');
const mark = (techniqueId: string, team: string, status = 'observed', extra: Record<string, unknown> = {}) => ({ techniqueId, team, status, ...extra });

/** The live board with a US mark, and a client replica of it. */
function board() {
  const live = new Y.Doc();
  const us = new Y.Doc();
  us.getMap(MARKS_MAP).set('T1059.001|US', mark('T1059.001', 'US', 'observed', { comment: 'DC01' }));
  Y.applyUpdate(live, Y.encodeStateAsUpdate(us));
  const guard = new MarksGuard(live);
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(live));
  return { live, guard, client, us };
}

/** The update `change` makes to `client`. */
function edit(client: Y.Doc, change: (marks: Y.Map<unknown>) => void): Uint8Array {
  const before = Y.encodeStateVector(client);
  change(client.getMap(MARKS_MAP));
  return Y.encodeStateAsUpdate(client, before);
}

/**
 * A hand-written v1 update of one ContentAny item with an explicit parent key and no neighbours, at
 * `client`/`clock`: the form an attacker uses to make Yjs link a new entry after another key's entry.
 */
function rawItem(client: number, clock: number, parentSub: string, values: unknown[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1); // one client
  encoding.writeVarUint(e, 1); // one struct
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, clock);
  encoding.writeUint8(e, 8 | 32); // ContentAny, with parentSub, no origins
  encoding.writeVarUint(e, 1); // parent is a root type, by name
  encoding.writeVarString(e, MARKS_MAP);
  encoding.writeVarString(e, parentSub);
  encoding.writeVarUint(e, values.length);
  for (const v of values) encoding.writeAny(e, v as never);
  encoding.writeVarUint(e, 0); // empty delete set
  return encoding.toUint8Array(e);
}

describe('MarksGuard', () => {
  it('lets a team write, change and clear its own marks', () => {
    const { guard, client } = board();
    expect(
      guard.vet(
        edit(client, (m) => m.set('T1071|CA', mark('T1071', 'CA', 'suspected', { score: 40 }))),
        CA,
      ),
    ).toEqual({ ok: true });
    expect(
      guard.vet(
        edit(client, (m) => m.delete('T1071|CA')),
        CA,
      ),
    ).toEqual({ ok: true });
  });

  it('refuses another team’s key, a delete of it, and a value that names another team', () => {
    const { guard, client, live } = board();
    const c1 = new Y.Doc();
    Y.applyUpdate(c1, Y.encodeStateAsUpdate(client));
    const overwrite = edit(c1, (m) => m.set('T1059.001|US', mark('T1059.001', 'US', 'not-found', { comment: 'forged' })));
    expect(guard.vet(overwrite, CA)).toMatchObject({ ok: false, malformed: false, reason: expect.stringContaining('team US') });
    const c2 = new Y.Doc();
    Y.applyUpdate(c2, Y.encodeStateAsUpdate(client));
    expect(
      guard.vet(
        edit(c2, (m) => m.delete('T1059.001|US')),
        CA,
      ),
    ).toMatchObject({ ok: false });
    const c3 = new Y.Doc();
    Y.applyUpdate(c3, Y.encodeStateAsUpdate(client));
    expect(
      guard.vet(
        edit(c3, (m) => m.set('T1059.001|CA', mark('T1059.001', 'US', 'not-found'))),
        CA,
      ),
    ).toMatchObject({ ok: false, reason: expect.stringContaining('not a valid mark') });
    // The live board never saw any of it.
    expect(live.getMap(MARKS_MAP).get('T1059.001|US')).toMatchObject({ status: 'observed', comment: 'DC01' });
  });

  it('refuses other shared types, nested types, junk fields and keys without a team', () => {
    const { guard, client } = board();
    const fresh = () => {
      const d = new Y.Doc();
      Y.applyUpdate(d, Y.encodeStateAsUpdate(client));
      return d;
    };
    const other = fresh();
    const before = Y.encodeStateVector(other);
    other.getText('notes').insert(0, 'x');
    expect(guard.vet(Y.encodeStateAsUpdate(other, before), CA)).toMatchObject({ ok: false, reason: 'the ATT&CK board holds marks only' });
    expect(
      guard.vet(
        edit(fresh(), (m) => m.set('T1071|CA', new Y.Map())),
        CA,
      ),
    ).toMatchObject({ ok: false });
    expect(
      guard.vet(
        edit(fresh(), (m) => m.set('T1071|CA', mark('T1071', 'CA', 'observed', { junk: 'x'.repeat(1000) }))),
        CA,
      ),
    ).toMatchObject({ ok: false });
    expect(
      guard.vet(
        edit(fresh(), (m) => m.set('T1071', mark('T1071', 'CA'))),
        CA,
      ),
    ).toMatchObject({ ok: false });
    expect(guard.vet(new Uint8Array([1, 2, 3]), CA)).toMatchObject({ ok: false, malformed: true });
  });

  it('lets a workspace owner write any team’s marks', () => {
    const { guard, client } = board();
    expect(
      guard.vet(
        edit(client, (m) => m.set('T1059.001|US', mark('T1059.001', 'US', 'suspected'))),
        CA_OWNER,
      ),
    ).toEqual({ ok: true });
    expect(
      guard.vet(
        edit(client, (m) => m.set('T1003|LV', mark('T1003', 'LV'))),
        CA_OWNER,
      ),
    ).toEqual({ ok: true });
  });

  it('catches an entry of an allowed key linked after another team’s entry (which Yjs would delete)', () => {
    const { live, guard, us } = board();
    // A two-value item under the US client's id starting at its last clock: Yjs skips the known first
    // value and links the second after the US entry, whatever key it names, deleting the US entry.
    const usClock = Y.getState(live.store, us.clientID);
    const crafted = rawItem(us.clientID, usClock - 1, 'T1071|CA', [null, mark('T1071', 'CA')]);
    // Proof that the crafted bytes do what they say on an unguarded copy.
    const unguarded = new Y.Doc();
    Y.applyUpdate(unguarded, Y.encodeStateAsUpdate(live));
    Y.applyUpdate(unguarded, crafted);
    expect(unguarded.getMap(MARKS_MAP).get('T1059.001|US')).toBeUndefined();
    expect(guard.vet(crafted, CA)).toMatchObject({ ok: false, reason: expect.stringContaining('team US') });
  });

  it('refuses an update that waits for content the board does not have (a future deletion of another team’s mark)', () => {
    const { guard, us, client } = board();
    // Delete the US client's next item before it exists: Yjs would keep it pending and apply it later.
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 0); // no structs
    encoding.writeVarUint(e, 1); // delete set: one client
    encoding.writeVarUint(e, us.clientID);
    encoding.writeVarUint(e, 1); // one range
    encoding.writeVarUint(e, Y.getState(us.store, us.clientID));
    encoding.writeVarUint(e, 5);
    expect(guard.vet(encoding.toUint8Array(e), CA)).toMatchObject({ ok: false, reason: expect.stringContaining('does not have') });
    // The shadow was rebuilt: honest writes pass again.
    expect(
      guard.vet(
        edit(client, (m) => m.set('T1071|CA', mark('T1071', 'CA'))),
        CA,
      ),
    ).toEqual({ ok: true });
  });

  it('follows the live board, so later writes are judged against its current state', () => {
    const { live, guard, client } = board();
    const u = edit(client, (m) => m.set('T1071|CA', mark('T1071', 'CA')));
    expect(guard.vet(u, CA)).toEqual({ ok: true });
    Y.applyUpdate(live, u);
    // A server-side write (a layer import) reaches the shadow through the live document.
    const srv = new Y.Doc();
    Y.applyUpdate(srv, Y.encodeStateAsUpdate(live));
    Y.applyUpdate(
      live,
      edit(srv, (m) => m.set('T1110|LV', mark('T1110', 'LV'))),
    );
    expect(
      guard.vet(
        edit(client, (m) => m.set('T1071|CA', mark('T1071', 'CA', 'not-found'))),
        CA,
      ),
    ).toEqual({ ok: true });
    guard.destroy();
  });
});

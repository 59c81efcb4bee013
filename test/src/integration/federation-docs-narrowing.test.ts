/**
 * Documents across two real instances, rights that narrow (issue 20 item 5): narrowing a note's marking
 * drops the replica on lv-cert and closes its editors with 4403; an edit the home refuses (the author is
 * an observer there) does not stay on the replica (federation/documents/refused.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { makeWorkspace, uniq } from '../helpers/foundation.js';
import { loginOn, shareWorkspace, type Nation } from '../helpers/federation.js';
import { count, dataBytes, recordingClient, storedText } from '../helpers/federationData.js';
import { eventually, rawSocket, synced } from '../helpers/yjs.js';
import type { ApiClient } from '../helpers/http.js';
import { docsPair } from '../helpers/federationDocs.js';

describe('documents across instances: narrowing and refused edits', () => {
  const pair = docsPair();
  const { open, createNote, lvNotes } = pair;
  let us: Nation;
  let lv: Nation;
  let lvNode: Nation;
  let alice: ApiClient;
  let liga: ApiClient;
  let ws: string;
  beforeAll(() => void ({ us, lv, lvNode, alice, liga, ws } = pair));

  it('narrowing drops the replica on lv-cert and closes the LV editor with 4403', async () => {
    const id = await createNote('Soon US only', ['US', 'LV']);
    const a = open(recordingClient(us, id, alice));
    await synced(a);
    a.text.insert(0, 'words that crossed');
    await eventually(async () => expect(await storedText(lvNode, id)).toBe('words that crossed'), 20_000);
    const raw = rawSocket(lvNode, id, liga.cookie);
    await raw.opened;

    const narrowed = await alice.patch(`/api/workspaces/${ws}/notes/${id}`, { marking: { tlp: 'AMBER', releasableTo: ['US'] } });
    expect(narrowed.status, JSON.stringify(narrowed.body)).toBe(200);
    expect((await raw.closed).code).toBe(4403);
    await eventually(async () => {
      expect(await count(lvNode, 'SELECT COUNT(*) AS n FROM documents WHERE id = ?', [id])).toBe(0);
      expect(await count(lvNode, 'SELECT COUNT(*) AS n FROM doc_updates WHERE doc_id = ?', [id])).toBe(0);
      expect(await count(lvNode, 'SELECT COUNT(*) AS n FROM doc_snapshots WHERE doc_id = ?', [id])).toBe(0);
    }, 20_000);
    expect((await lvNotes()).map((n) => n.id)).not.toContain(id);
    // What the US side writes now stays there.
    const marker = uniq('afternarrow').toLowerCase();
    a.text.insert(0, marker);
    await eventually(async () => expect(await storedText(us, id)).toContain(marker), 20_000);
    const probe = await createNote('Probe after narrowing', ['US', 'LV']);
    await eventually(async () => expect((await lvNotes()).map((n) => n.id)).toContain(probe), 20_000);
    expect((await dataBytes(lvNode)).includes(Buffer.from(marker))).toBe(false);
    // The audit trail of lv-cert says what the home revoked.
    expect(await count(lvNode, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'federation.received' AND detail LIKE ?", [`%doc.revoke%${id}%`])).toBe(1);
  }, 120_000);

  it('an edit the home refuses (its author is an observer there) is dropped from the replica too, and its editor closed', async () => {
    const id = await createNote('Observed only', ['US', 'LV']);
    const a = open(recordingClient(us, id, alice));
    await synced(a);
    a.text.insert(0, 'accepted words');
    await eventually(async () => expect(await storedText(lvNode, id)).toBe('accepted words'), 20_000);
    // At the workspace's home, lauris@lv-cert becomes an observer (in the database: the members API does
    // not take name@instance usernames yet); lv-cert's replica still lets him type locally.
    const { changes } = await us.ctx.db.run(
      "UPDATE members SET role = 'observer' WHERE workspace_id = ? AND account_id = (SELECT id FROM accounts WHERE username = 'lauris@lv-cert')",
      [ws],
    );
    expect(changes).toBe(1);
    const lauris = await loginOn(lv, 'lauris');
    // A bare socket: a y-websocket client would reconnect after the 4403 and send its edit again.
    const raw = rawSocket(lvNode, id, lauris.cookie);
    await raw.opened;
    const marker = uniq('observer').toLowerCase();
    raw.ws.send(insertMessage(marker));
    await eventually(
      async () => expect(await count(us, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'federation.refused' AND detail LIKE ?", ['%lauris@lv-cert may not write%'])).toBe(1),
      20_000,
    );
    expect(await storedText(us, id)).not.toContain(marker);
    // The replica is told and drops it: lauris's editor is closed with the home's sentence, and what
    // lv-cert stores (and serves to the next editor) is the home's text again.
    const closed = await raw.closed;
    expect(closed.code).toBe(4403);
    expect(closed.reason).toContain('refused');
    await eventually(async () => expect(await storedText(lvNode, id)).toBe('accepted words'), 20_000);
    expect(await count(lvNode, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'federation.received' AND detail LIKE ?", [`%doc.refused%${id}%`])).toBe(1);
    const lg = open(recordingClient(lvNode, id, liga));
    await synced(lg);
    expect(lg.text.toString()).toBe('accepted words');
    // The note is not wedged: a hunter's edit, built on the home's text, crosses and converges.
    lg.text.insert(0, 'hunter words, ');
    await eventually(async () => expect(await storedText(us, id)).toBe('hunter words, accepted words'), 20_000);
    await eventually(() => expect(a.text.toString()).toBe('hunter words, accepted words'), 20_000);
  }, 120_000);

  it('a replica whose share lets its members observe only sends none of their edits, and drops them', async () => {
    const ws2 = await makeWorkspace(alice, 'Operation Watch Only');
    await shareWorkspace(us, lvNode, ws2, { role: 'observer' });
    const r = await alice.post<{ id: string }>(`/api/workspaces/${ws2}/notes`, { title: 'Watched', marking: { tlp: 'AMBER', releasableTo: ['US', 'LV'] } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const id = r.body.id;
    const a = open(recordingClient(us, id, alice));
    await synced(a);
    a.text.insert(0, 'home text');
    await eventually(async () => expect(await storedText(lvNode, id)).toBe('home text'), 20_000);
    // Roles in the replica are lv-cert's own to set: someone there made liga a hunter in it.
    const { changes } = await lvNode.ctx.db.run("UPDATE members SET role = 'hunter' WHERE workspace_id = ? AND account_id = (SELECT id FROM accounts WHERE username = 'liga')", [
      ws2,
    ]);
    expect(changes).toBe(1);
    const refusedBefore = await count(us, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'federation.refused'", []);
    const raw = rawSocket(lvNode, id, liga.cookie);
    await raw.opened;
    const marker = uniq('capped').toLowerCase();
    raw.ws.send(insertMessage(marker));
    // lv-cert knows the home would refuse it (the share's role cap): it is not sent, and dropped here.
    expect((await raw.closed).code).toBe(4403);
    await eventually(async () => expect(await storedText(lvNode, id)).toBe('home text'), 20_000);
    a.text.insert(a.text.length, ', more');
    await eventually(async () => expect(await storedText(lvNode, id)).toBe('home text, more'), 20_000);
    expect(await storedText(us, id)).toBe('home text, more');
    expect(await count(us, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'federation.refused'", [])).toBe(refusedBefore);
  }, 120_000);
});

/** A y-websocket update message (sync, update) inserting `text` into Y.Text `t`, from a client of its own. */
function insertMessage(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, 2);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

/**
 * Documents across two real instances, faults (issue 20 item 7): edits made on both sides while the link
 * is suspended converge after it resumes, none lost; a replica catches up from its home on link up what
 * no message carried (doc.sync).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { cli, type Nation } from '../helpers/federation.js';
import { recordingClient, storedText } from '../helpers/federationData.js';
import { eventually, synced } from '../helpers/yjs.js';
import type { ApiClient } from '../helpers/http.js';
import { docsPair } from '../helpers/federationDocs.js';

describe('documents across instances: faults', () => {
  const pair = docsPair();
  const { open, createNote, lvNotes } = pair;
  let us: Nation;
  let lvNode: Nation;
  let alice: ApiClient;
  let liga: ApiClient;
  beforeAll(() => void ({ us, lvNode, alice, liga } = pair));

  it('edits made on both sides while the link is suspended converge after it resumes, none lost', async () => {
    const id = await createNote('Written apart', ['US', 'LV']);
    await eventually(async () => expect((await lvNotes()).map((n) => n.id)).toContain(id), 20_000);
    const a = open(recordingClient(us, id, alice));
    const l = open(recordingClient(lvNode, id, liga));
    await Promise.all([synced(a), synced(l)]);

    await cli(us, 'federation', 'link', 'suspend', '--name', 'lv-cert');
    await eventually(() => expect(us.ctx.federation!.isUp('lv-cert')).toBe(false), 20_000);
    for (let i = 0; i < 20; i++) {
      a.text.insert(a.text.length, `[us${i}]`);
      l.text.insert(0, `[lv${i}]`);
    }
    await eventually(async () => {
      expect(await storedText(us, id)).toContain('[us19]');
      expect(await storedText(lvNode, id)).toContain('[lv19]');
    }, 20_000);
    expect(a.text.toString()).not.toContain('[lv0]');
    expect(l.text.toString()).not.toContain('[us0]');

    await cli(us, 'federation', 'link', 'resume', '--name', 'lv-cert');
    await eventually(() => {
      expect(a.text.toString()).toBe(l.text.toString());
      for (let i = 0; i < 20; i++) expect(a.text.toString()).toContain(`[us${i}]`);
      for (let i = 0; i < 20; i++) expect(a.text.toString()).toContain(`[lv${i}]`);
    }, 30_000);
    const expected = a.text.toString();
    await eventually(async () => {
      expect(await storedText(us, id)).toBe(expected);
      expect(await storedText(lvNode, id)).toBe(expected);
    }, 20_000);
  }, 120_000);

  it('a replica catches up from its home on link up what no message carried (doc.sync)', async () => {
    const id = await createNote('Caught up', ['US', 'LV']);
    const a = open(recordingClient(us, id, alice));
    await synced(a);
    a.text.insert(0, 'first words');
    await eventually(async () => expect(await storedText(lvNode, id)).toBe('first words'), 20_000);
    a.destroy();

    await cli(us, 'federation', 'link', 'suspend', '--name', 'lv-cert');
    await eventually(() => expect(us.ctx.federation!.isUp('lv-cert')).toBe(false), 20_000);
    // A change stored at the home with no message for the link (as after an outbox past its retention).
    const doc = new Y.Doc();
    const rows = await us.ctx.db.all<{ data: Uint8Array }>('SELECT data FROM doc_updates WHERE doc_id = ? ORDER BY id', [id]);
    for (const r of rows) Y.applyUpdate(doc, new Uint8Array(r.data));
    const before = Y.encodeStateVector(doc);
    doc.getText('t').insert(doc.getText('t').length, ' and what the outbox lost');
    await us.ctx.db.run('INSERT INTO doc_updates (doc_id, data) VALUES (?, ?)', [id, Y.encodeStateAsUpdate(doc, before)]);
    doc.destroy();

    await cli(us, 'federation', 'link', 'resume', '--name', 'lv-cert');
    await eventually(async () => expect(await storedText(lvNode, id)).toBe('first words and what the outbox lost'), 30_000);
  }, 120_000);
});

/**
 * Documents across two real instances: an honest peer's replay after an outage is never cut by the
 * home's limits (issue 20 item 7, docs/federation.md sections 5 and 8). While the link is suspended a
 * user on the replica (lv-cert) makes more edits of a note than the home (us-cert) lets one remote
 * author send at once (its burst, made small here). When the link is back the home takes the burst and
 * defers the rest (the channel waits and applies each again once the author's rate allows it) instead
 * of refusing them: every edit arrives, nothing is refused, the replica is not reset, the texts converge.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, type Nation } from '../helpers/federation.js';
import { recordingClient, storedText } from '../helpers/federationData.js';
import { eventually, synced } from '../helpers/yjs.js';
import type { ApiClient } from '../helpers/http.js';
import { docsPair } from '../helpers/federationDocs.js';

/** Edits liga makes while the link is down: three times the burst us-cert allows one remote author. */
const EDITS = 60;

describe('documents across instances: an outage longer than the limits', () => {
  // us-cert's document limits: 5 updates a second and a burst of 2 per socket, so one remote author
  // may send 20 at once over the link (ten times a socket's burst; limits.ts). The defaults (60, 300)
  // would need 3,000 edits.
  const pair = docsPair({ us: { collab: { updatesPerSecond: 5, updateBurst: 2 } } });
  const { open, createNote, lvNotes } = pair;
  let us: Nation;
  let lvNode: Nation;
  let liga: ApiClient;
  beforeAll(() => void ({ us, lvNode, liga } = pair));

  it("every edit made on the replica during an outage reaches the home, though more than the author's burst", async () => {
    const id = await createNote('Written during the outage', ['US', 'LV']);
    await eventually(async () => expect((await lvNotes()).map((n) => n.id)).toContain(id), 20_000);
    const l = open(recordingClient(lvNode, id, liga));
    await synced(l);

    await cli(us, 'federation', 'link', 'suspend', '--name', 'lv-cert');
    await eventually(() => expect(us.ctx.federation!.isUp('lv-cert')).toBe(false), 20_000);
    // One Yjs transaction each: one stored update, one doc.update message in lv-cert's outbox.
    for (let i = 0; i < EDITS; i++) l.text.insert(l.text.length, `[lv${i}]`);
    await eventually(async () => expect(await storedText(lvNode, id)).toContain(`[lv${EDITS - 1}]`), 20_000);
    const queued = Number((await lvNode.ctx.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM federation_outbox WHERE link = 'us-cert' AND type = 'doc.update'"))!.n);
    expect(queued).toBeGreaterThanOrEqual(EDITS);
    const auditBefore = Number((await us.ctx.db.get<{ id: number }>('SELECT COALESCE(MAX(id), 0) AS id FROM audit_log'))!.id);
    const deferredBefore = us.ctx.federation!.deferrals.get('lv-cert') ?? 0;

    await cli(us, 'federation', 'link', 'resume', '--name', 'lv-cert');
    await eventually(async () => {
      const home = await storedText(us, id);
      for (let i = 0; i < EDITS; i++) expect(home).toContain(`[lv${i}]`);
    }, 60_000);

    // Deferred, not refused: the home held the excess back (its rate), refused none of it and never
    // told the replica to drop anything; liga's editor was not closed and holds every edit.
    expect((us.ctx.federation!.deferrals.get('lv-cert') ?? 0) - deferredBefore).toBeGreaterThan(0);
    const refused = await us.ctx.db.all<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'federation.refused' AND id > ?", [auditBefore]);
    expect(refused.map((r) => r.detail)).toEqual([]);
    expect(l.provider.shouldConnect).toBe(true);
    const expected = Array.from({ length: EDITS }, (_, i) => `[lv${i}]`).join('');
    expect(l.text.toString()).toBe(expected);
    await eventually(async () => {
      expect(await storedText(us, id)).toBe(expected);
      expect(await storedText(lvNode, id)).toBe(expected);
    }, 30_000);
  }, 180_000);

  it('a link that drops while the home holds edits back loses none of them', async () => {
    const id = await createNote('Dropped mid-replay', ['US', 'LV']);
    await eventually(async () => expect((await lvNotes()).map((n) => n.id)).toContain(id), 20_000);
    const l = open(recordingClient(lvNode, id, liga));
    await synced(l);
    await cli(us, 'federation', 'link', 'suspend', '--name', 'lv-cert');
    await eventually(() => expect(us.ctx.federation!.isUp('lv-cert')).toBe(false), 20_000);
    for (let i = 0; i < EDITS; i++) l.text.insert(l.text.length, `[d${i}]`);
    await eventually(async () => expect(await storedText(lvNode, id)).toContain(`[d${EDITS - 1}]`), 20_000);
    const auditBefore = Number((await us.ctx.db.get<{ id: number }>('SELECT COALESCE(MAX(id), 0) AS id FROM audit_log'))!.id);
    const deferredBefore = us.ctx.federation!.deferrals.get('lv-cert') ?? 0;

    await cli(us, 'federation', 'link', 'resume', '--name', 'lv-cert');
    // The burst is in and the home is holding the rest back: the link drops now.
    await eventually(async () => {
      expect(await storedText(us, id)).toContain('[d19]');
      expect(us.ctx.federation!.deferrals.get('lv-cert') ?? 0).toBeGreaterThan(deferredBefore);
    }, 60_000);
    await cli(us, 'federation', 'link', 'suspend', '--name', 'lv-cert');
    await eventually(() => expect(us.ctx.federation!.isUp('lv-cert')).toBe(false), 20_000);
    expect(await storedText(us, id)).not.toContain(`[d${EDITS - 1}]`);
    await cli(us, 'federation', 'link', 'resume', '--name', 'lv-cert');

    const expected = Array.from({ length: EDITS }, (_, i) => `[d${i}]`).join('');
    await eventually(async () => {
      expect(await storedText(us, id)).toBe(expected);
      expect(await storedText(lvNode, id)).toBe(expected);
    }, 60_000);
    const refused = await us.ctx.db.all<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'federation.refused' AND id > ?", [auditBefore]);
    expect(refused.map((r) => r.detail)).toEqual([]);
    expect(l.provider.shouldConnect).toBe(true);
  }, 180_000);
});

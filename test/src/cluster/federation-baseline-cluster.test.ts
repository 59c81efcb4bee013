/**
 * Paged baselines, outbox drops, withdrawals and ATT&CK marks with an instance in cluster mode (issue 20;
 * docs/federation.md section 4, "Baselines, retention and withdrawal", and section 5, "ATT&CK marks"):
 * aa-us is two real nodes on PostgreSQL + Redis keeping at most 10 unacknowledged messages per link and
 * measuring every 200 ms; lv-cert is one node on SQLite.
 *
 * A workspace of 1,200 indicators (three pages) and three notes is shared while users on both nodes
 * create, change and delete indicators and one edits a note. Mid-baseline (lv-cert holds the first page
 * it gets) lv-cert goes away; the live writes go on, the outbox passes its limit and is dropped, more
 * than once (the fresh baseline's progress row and the link row locked by drops and live writes at once:
 * on PostgreSQL this is where the two locks taken in opposite orders deadlocked). Back,
 * lv-cert gets a fresh baseline while the writes go on, and ends holding exactly what aa-us holds that
 * LV may see, each once. Then marks cross both ways with writers on the node that does not hold the
 * link (aa-us as the board's home, and as a replica whose board a message creates), and each side
 * withdraws a share.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { MARKS_MAP, markKey, type Mark } from '@huntroom/shared';
import type { Huntroom } from '@huntroom/server';
import type * as Y from 'yjs';
import type { Db } from '../../../server/dist/storage/db.js';
import type { MessageHandler } from '../../../server/dist/federation/channel.js';
import { eventually, makeWorkspace } from '../helpers/foundation.js';
import { ApiClient } from '../helpers/http.js';
import { connect, synced, type Client } from '../helpers/yjs.js';
import { storedDoc, storedText } from '../helpers/federationData.js';
import { cli, loginOn, NATION_PASSWORD, sharesOn, type Nation } from '../helpers/federation.js';
import { clusterAvailable, linksUpOn, type Node } from './cluster.js';
import { clusterPair } from './federationCluster.js';

const N = 1_200;
const mark = (techniqueId: string, team: string, status: Mark['status']): Mark => ({ techniqueId, team, status });
const marksOf = (doc: Y.Doc): Record<string, Mark> => doc.getMap(MARKS_MAP).toJSON();
const setMark = (c: Client, m: Mark): void => void c.doc.getMap(MARKS_MAP).set(markKey(m.techniqueId, m.team), m);

describe.skipIf(!clusterAvailable)('federation: baselines, drops, withdrawals and marks with an instance in cluster mode', () => {
  const pair = clusterPair({ aliceTeamAdmin: true, usEnv: { FEDERATION_OUTBOX_MAX_MESSAGES: '10', FEDERATION_OUTBOX_CHECK_MS: '200' } });
  const { us } = pair;
  let a: Node;
  let b: Node;
  let db: Db;
  let lv: Nation;
  let other: Node;
  let ws1: string;
  const asUs = () => ({ ctx: { db } }) as unknown as Huntroom;

  beforeAll(async () => {
    ({ a, b, db, lv } = pair);
    other = await pair.linkUp();
  }, 120_000);

  /** What LV may see of ws1 (all but the `usonly-` ones), as stored on aa-us or on lv-cert's replica: one line per indicator. */
  const visible = async (on: Db, workspaceId: string): Promise<string[]> =>
    (
      await on.all<{ id: string; value: string; tlp: string; releasable_to: string; tags: string }>(
        "SELECT id, value, tlp, releasable_to, tags FROM indicators WHERE workspace_id = ? AND value NOT LIKE 'usonly-%' ORDER BY id",
        [workspaceId],
      )
    ).map((r) => `${r.id} ${r.value} ${r.tlp} ${r.releasable_to} ${r.tags}`);
  const drops = async (): Promise<number> => Number((await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'federation.outbox.dropped'"))?.n ?? 0);

  it('sends a paged baseline of 1,200 indicators, drops the outbox past retention mid-baseline, and converges with the live writes of both nodes', async () => {
    const aliceA = await new ApiClient(a.url).login('alice', NATION_PASSWORD);
    const aliceB = await new ApiClient(b.url).login('alice', NATION_PASSWORD);
    ws1 = await makeWorkspace(aliceA, 'Operation Two Nodes');
    const items = Array.from({ length: N }, (_, i) => ({ type: 'domain', value: `page-${i}.cluster.example`, tlp: 'AMBER', releasableTo: ['US', 'LV'] }));
    const bulk = await aliceA.post<{ indicators: { id: string }[] }>(`/api/workspaces/${ws1}/indicators/bulk`, { items });
    expect(bulk.status, JSON.stringify(bulk.body).slice(0, 300)).toBe(201);
    const ids = (await db.all<{ id: string }>('SELECT id FROM indicators WHERE workspace_id = ? ORDER BY created_seq, id', [ws1])).map((r) => r.id);
    expect(ids).toHaveLength(N);
    // Notes too: the documents' part of the baseline has progress rows of its own, reset by a drop as well.
    const notes: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await aliceA.post<{ id: string }>(`/api/workspaces/${ws1}/notes`, { title: `Cluster note ${i}`, marking: { tlp: 'AMBER', releasableTo: ['US', 'LV'] } });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      notes.push(r.body.id);
    }
    const editor = connect(b, notes[1]!, aliceB);
    pair.open(editor);
    await synced(editor);

    // Writers on both nodes: new indicators (some LV may not see), tags on baseline items early and late
    // in the baseline's order, deletes of baseline items. Every write must succeed (a deadlock abort
    // would answer 500).
    let writing = true;
    const failures: string[] = [];
    let writes = 0;
    let lastEdit = '';
    const writer = async (client: ApiClient, name: string, patchFrom: number, deleteFrom: number): Promise<void> => {
      for (let i = 0; writing; i++) {
        const usOnly = i % 5 === 4;
        const value = `${usOnly ? 'usonly' : 'live'}-${name}-${i}.cluster.example`;
        const made = await client.post(`/api/workspaces/${ws1}/indicators`, { type: 'domain', value, tlp: 'AMBER', releasableTo: usOnly ? ['US'] : ['US', 'LV'] });
        if (made.status !== 201) failures.push(`create ${made.status} ${JSON.stringify(made.body)}`);
        const patched = await client.patch(`/api/workspaces/${ws1}/indicators/${ids[patchFrom + ((i * 37) % 400)]}`, { tags: [`${name}-${i}`] });
        if (patched.status !== 200) failures.push(`patch ${patched.status} ${JSON.stringify(patched.body)}`);
        if (i % 4 === 0 && i / 4 < 50) {
          const gone = await client.delete(`/api/workspaces/${ws1}/indicators/${ids[deleteFrom + i / 4]}`);
          if (gone.status !== 200) failures.push(`delete ${gone.status} ${JSON.stringify(gone.body)}`);
        }
        // And a live edit of a note on node b, each round.
        if (name === 'b') editor.text.insert(editor.text.length, (lastEdit = `b-${i};`));
        writes++;
      }
    };
    // lv-cert holds the first baseline page it gets before applying it (before its transaction: lv-cert's
    // database stays free), so the link goes down mid-baseline whatever the machine's speed; then applies it.
    const lvBus = lv.ctx.federation!;
    const recordsHandler = (lvBus as unknown as { inbox: { handlers: Map<string, MessageHandler> } }).inbox.handlers.get('records.events')!;
    let firstPageHeld = false;
    let releasePage: () => void = () => undefined;
    const pageGate = new Promise<void>((resolve) => (releasePage = resolve));
    lvBus.onMessage('records.events', recordsHandler, async (_link, body) => {
      if (firstPageHeld || !(body as { baseline?: boolean }).baseline) return;
      firstPageHeld = true;
      await pageGate;
    });
    const writers = Promise.all([writer(aliceA, 'a', 0, 500), writer(aliceB, 'b', 600, 1_100)]);
    try {
      const offerId = (await us('federation', 'offer', '--workspace', ws1, '--link', 'lv-cert')).trim();
      await eventually(async () => expect((await sharesOn(lv)).find((s) => s.offerId === offerId)?.state).toBe('offered'), 20_000);
      await cli(lv, 'federation', 'accept', '--offer', offerId, '--link', 'aa-us', '--members', 'liga');
      // Mid-baseline: lv-cert has applied the baseline's begin and holds its first page (below), so aa-us's
      // pages and end stay unacknowledged in the outbox; lv-cert then goes away.
      await eventually(() => expect(firstPageHeld).toBe(true), 30_000);
      expect(await lv.ctx.db.get('SELECT from_seq FROM federation_baseline_marks WHERE workspace_id = ?', [ws1])).toBeDefined();
      await cli(lv, 'federation', 'link', 'suspend', '--name', 'aa-us');
      await eventually(async () => expect([...(await linksUpOn(a)), ...(await linksUpOn(b))]).toEqual([]), 20_000);
      releasePage();

      // The writes go on while lv-cert is away: past 10 messages the outbox is dropped, more than once.
      const before = await drops();
      await eventually(async () => expect(await drops()).toBeGreaterThan(before + 1), 30_000);
      // What was written before the last drop and not acknowledged is gone (a delete may be written after it:
      // a delete of an item no longer stored is always sent).
      const stale = await db.get<{ n: number }>(
        "SELECT COUNT(*) AS n FROM federation_outbox o JOIN federation_links l ON l.name = o.link WHERE o.link = 'lv-cert' AND o.type IN ('records.events', 'records.baseline') AND o.seq <= l.retained_from",
      );
      expect(Number(stale?.n)).toBe(0);

      // Back: the fresh baseline is sent in pages while the writes go on.
      const written = writes;
      await cli(lv, 'federation', 'link', 'resume', '--name', 'aa-us');
      await eventually(async () => {
        expect(await db.get('SELECT phase FROM federation_baselines WHERE workspace_id = ?', [ws1])).toBeUndefined();
        expect(writes).toBeGreaterThan(written + 5);
      }, 60_000);
    } finally {
      releasePage();
      writing = false;
      await writers;
    }
    expect(failures).toEqual([]);

    // Converged: lv-cert holds what aa-us holds that LV may see, each item once, with its last change.
    await eventually(async () => expect(await visible(lv.ctx.db, ws1)).toEqual(await visible(db, ws1)), 30_000);
    // The notes as well, the one edited live throughout included.
    await eventually(async () => {
      expect(await storedText(asUs(), notes[1]!)).toContain(lastEdit);
      for (const id of notes) expect(await storedText(lv, id), id).toBe(await storedText(asUs(), id));
    }, 30_000);
    expect(lastEdit).not.toBe('');
    const held = await visible(lv.ctx.db, ws1);
    expect(held.length).toBeGreaterThan(N - 100);
    expect(await lv.ctx.db.get("SELECT COUNT(*) AS n FROM indicators WHERE workspace_id = ? AND value LIKE 'usonly-%'", [ws1])).toEqual({ n: 0 });
    // Made live on each node, changed live on each node, deleted live (gone from both sides).
    for (const seen of [/ live-a-/, / live-b-/, / \["a-\d+"\]$/, / \["b-\d+"\]$/])
      expect(
        held.some((l) => seen.test(l)),
        String(seen),
      ).toBe(true);
    expect(held.some((l) => l.startsWith(`${ids[500]} `))).toBe(false);
    // Both sides' counters agree: nothing waits, nothing was applied twice or skipped unannounced.
    await eventually(async () => expect(await db.all("SELECT seq FROM federation_outbox WHERE link = 'lv-cert'")).toEqual([]), 20_000);
    expect(await lv.ctx.db.get("SELECT id FROM audit_log WHERE action = 'federation.outbox.skipped'")).toBeDefined();
    // Every drop dropped something: both nodes measure the link, and the second re-measures under the link
    // row's lock rather than drop again (restarting the baseline) right after the first.
    const dropped = await db.all<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'federation.outbox.dropped'");
    expect(dropped.map((d) => (JSON.parse(d.detail) as { messages: number }).messages).filter((n) => n === 0)).toEqual([]);
    console.log(`baseline of ${N} with ${writes} live write rounds on two nodes, ${await drops()} outbox drops`);
    for (const n of [a, b]) expect(n.proc.output()).not.toMatch(/deadlock|could not serialize|baseline page failed|retention check failed/);
  }, 180_000);

  it('carries ATT&CK marks both ways with the writer on the node that does not hold the link, aa-us as home and as replica', async () => {
    const aliceOther = await new ApiClient(other.url).login('alice', NATION_PASSWORD);
    const liga = await loginOn(lv, 'liga');
    const boardOf = async (as: ApiClient, ws: string): Promise<string> => {
      const r = await as.get<{ docId: string }>(`/api/workspaces/${ws}/attack/board`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body.docId;
    };
    // ws1 is homed on aa-us.
    const board1 = await boardOf(aliceOther, ws1);
    const a1 = connect(other, board1, aliceOther);
    const l1 = connect(lv, await boardOf(liga, ws1), liga);
    pair.open(a1);
    pair.open(l1);
    await Promise.all([synced(a1), synced(l1)]);
    setMark(a1, mark('T1059', 'US', 'observed'));
    await eventually(async () => expect((await storedDoc(lv, board1, marksOf))['T1059|US']).toMatchObject({ status: 'observed' }), 30_000);
    await eventually(() => expect(marksOf(l1.doc)['T1059|US']).toMatchObject({ status: 'observed' }), 30_000);
    setMark(l1, mark('T1003', 'LV', 'suspected'));
    await eventually(async () => expect((await storedDoc(asUs(), board1, marksOf))['T1003|LV']).toMatchObject({ status: 'suspected' }), 30_000);
    // Applied on the holder, seen live on the other node (the cluster's fan-out).
    await eventually(() => expect(marksOf(a1.doc)['T1003|LV']).toMatchObject({ status: 'suspected' }), 30_000);

    // ws2 is homed on lv-cert; aa-us's replica of its board is made by the first message about it (on
    // the holder) or by alice opening it (on the other node), whichever comes first.
    const ws2 = await makeWorkspace(liga, 'Operation Baltic Relay');
    const offerId = (await cli(lv, 'federation', 'offer', '--workspace', ws2, '--link', 'aa-us')).trim();
    await eventually(async () => expect(await db.get('SELECT state FROM federation_shares WHERE offer_id = ?', [offerId])).toEqual({ state: 'offered' }), 20_000);
    await us('federation', 'accept', '--offer', offerId, '--link', 'lv-cert', '--members', 'alice');
    await eventually(async () => expect((await sharesOn(lv)).find((s) => s.offerId === offerId)?.state).toBe('active'), 20_000);
    const l2 = connect(lv, await boardOf(liga, ws2), liga);
    pair.open(l2);
    await synced(l2);
    setMark(l2, mark('T1566', 'LV', 'observed'));
    const board2 = await eventually(() => boardOf(aliceOther, ws2), 20_000);
    const a2 = connect(other, board2, aliceOther);
    pair.open(a2);
    await synced(a2);
    await eventually(() => expect(marksOf(a2.doc)['T1566|LV']).toMatchObject({ status: 'observed' }), 30_000);
    setMark(a2, mark('T1021', 'US', 'suspected'));
    await eventually(() => expect(marksOf(l2.doc)['T1021|US']).toMatchObject({ status: 'suspected' }), 30_000);
    expect((await storedDoc(lv, board2, marksOf))['T1021|US']).toMatchObject({ status: 'suspected' });
    // Nothing was refused on either side.
    expect(await db.get("SELECT detail FROM audit_log WHERE action = 'federation.refused'")).toBeUndefined();
    expect(await lv.ctx.db.get("SELECT detail FROM audit_log WHERE action = 'federation.refused'")).toBeUndefined();

    // Withdrawn by aa-us, the replica side (its team admin on the node not holding the link): aa-us drops
    // the replica on PostgreSQL at once, lv-cert hears it.
    const r = await aliceOther.post(`/api/workspaces/${ws2}/federation/withdraw`, { link: 'lv-cert' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(await db.get('SELECT id FROM workspaces WHERE id = ?', [ws2])).toBeUndefined();
    expect(await db.get('SELECT id FROM documents WHERE workspace_id = ?', [ws2])).toBeUndefined();
    await eventually(async () => expect((await sharesOn(lv)).find((s) => s.offerId === offerId)?.state).toBe('withdrawn'), 20_000);
    expect((await liga.get(`/api/workspaces/${ws2}`)).status).toBe(200);
  }, 120_000);

  it("is withdrawn by lv-cert: aa-us, the home on PostgreSQL, removes lv-cert's members and the replicas of its users' items", async () => {
    const liga = await loginOn(lv, 'liga');
    const made = await liga.post<{ indicator: { id: string } }>(`/api/workspaces/${ws1}/indicators`, {
      type: 'domain',
      value: 'made-at-lv.cluster.example',
      tlp: 'AMBER',
      releasableTo: ['US', 'LV'],
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    await eventually(async () => expect(await db.get('SELECT id FROM indicators WHERE id = ?', [made.body.indicator.id])).toBeDefined(), 20_000);
    const homeCount = Number((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM indicators WHERE workspace_id = ?', [ws1]))?.n);

    const r = await liga.post(`/api/workspaces/${ws1}/federation/withdraw`, { link: 'aa-us' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(await lv.ctx.db.get('SELECT id FROM workspaces WHERE id = ?', [ws1])).toBeUndefined();
    await eventually(
      async () => expect(await db.get("SELECT state FROM federation_shares WHERE workspace_id = ? AND link = 'lv-cert'", [ws1])).toEqual({ state: 'withdrawn' }),
      20_000,
    );
    expect(await db.all("SELECT m.account_id FROM members m JOIN accounts a ON a.id = m.account_id WHERE m.workspace_id = ? AND a.home_link = 'lv-cert'", [ws1])).toEqual([]);
    expect(await db.get('SELECT id FROM indicators WHERE id = ?', [made.body.indicator.id])).toBeUndefined();
    expect(Number((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM indicators WHERE workspace_id = ?', [ws1]))?.n)).toBe(homeCount - 1);
    for (const n of [a, b]) expect(n.proc.output()).not.toMatch(/deadlock|could not serialize/);
  }, 60_000);
});

/**
 * Federation faults (issue 20 item 7, docs/federation.md section 6), with us-cert as a separate PROCESS
 * (node server/dist/main.js) whose clock is 7 minutes ahead (helpers/clockShift.cjs preloaded), linked
 * to an in-process lv-cert with the right time. The operator's CLI runs on us-cert's SQLite from this
 * process, as the cluster test does on PostgreSQL.
 * - Clocks minutes apart: the link comes up (the handshake uses no clocks), indicators arrive in the
 *   order they were made, a note co-edited from both sides converges, and each side stamps what it does
 *   with its own clock.
 * - kill -9: while alice (us-cert) and liga (lv-cert) type into one note and alice creates indicators,
 *   us-cert is killed with SIGKILL and restarted on the same data directory and port; afterwards both
 *   sides hold the same text (every edit exactly once) and the same indicators (each created once),
 *   with those liga made on lv-cert meanwhile (homed there; queued in its outbox while us-cert was down).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Db } from '../../../server/dist/storage/db.js';
import { GENEROUS_LIMITS } from '../helpers/server.js';
import { cli, NATION_PASSWORD, sharesOn, startNation, teamIdOn, loginOn, type Nation } from '../helpers/federation.js';
import { ApiClient } from '../helpers/http.js';
import { freePort, spawnNode, waitForHttp, type Spawned } from '../helpers/processes.js';
import { connect as docClient, eventually, synced, type Client as DocClient } from '../helpers/yjs.js';
import { connect as recordClient, type Client as RecordClient } from './indicators-helpers.js';

const { runCommand } = await import('../../../server/dist/cli/commands.js');
const { openStorage } = await import('../../../server/dist/storage/open.js');

const CLOCK_SHIFT = fileURLToPath(new URL('../helpers/clockShift.cjs', import.meta.url));
const SHIFT_MS = 7 * 60_000;

/** The text of a document as stored in `db` (snapshot and log folded). */
async function storedText(db: Db, docId: string): Promise<string> {
  const snap = await db.get<{ data: Uint8Array }>('SELECT data FROM doc_snapshots WHERE doc_id = ?', [docId]);
  const rows = await db.all<{ data: Uint8Array }>('SELECT data FROM doc_updates WHERE doc_id = ? ORDER BY id', [docId]);
  const doc = new Y.Doc();
  for (const r of [...(snap ? [snap] : []), ...rows]) Y.applyUpdate(doc, new Uint8Array(r.data));
  const text = doc.getText('t').toString();
  doc.destroy();
  return text;
}

const occurrences = (text: string, s: string): number => text.split(s).length - 1;

describe('federation faults: a process nation 7 minutes ahead, killed with -9', () => {
  const usDir = mkdtempSync(join(tmpdir(), 'huntroom-fed-faults-'));
  let usPort: number;
  let usUrl: string;
  let usProc: Spawned;
  /** us-cert's database, opened from this process (the operator's CLI and the assertions). */
  let usDb: Db;
  let lv: Nation;
  let alice: ApiClient;
  let liga: ApiClient;
  let ligaSocket: RecordClient;
  let ws: string;
  const docs: DocClient[] = [];
  const open = (c: DocClient): DocClient => {
    docs.push(c);
    return c;
  };
  const us = (...argv: string[]) => runCommand(usDb, argv, { stdin: Readable.from([]), stdout: new PassThrough() });

  const startUs = async (): Promise<void> => {
    usProc = spawnNode('main.js', {
      PORT: String(usPort),
      HOST: '127.0.0.1',
      DATA_DIR: usDir,
      LOG_LEVEL: 'warn',
      HUNTROOM_DEMO: 'off',
      ...GENEROUS_LIMITS,
      NODE_OPTIONS: `--require ${CLOCK_SHIFT}`,
      HUNTROOM_CLOCK_OFFSET_MS: String(SHIFT_MS),
    });
    // What the process printed is in the error: a failed start says why.
    await waitForHttp(`${usUrl}/healthz`, 60_000, () => usProc.child.exitCode === null && usProc.child.signalCode === null).catch((err: Error) => {
      throw new Error(`${err.message}\n${usProc.output()}`);
    });
  };
  const note = async (title: string): Promise<string> => {
    const r = await alice.post<{ id: string }>(`/api/workspaces/${ws}/notes`, { title, marking: { tlp: 'AMBER', releasableTo: ['US', 'LV'] } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id;
  };
  const lvNotes = async (): Promise<string[]> => (await liga.get<{ notes: { id: string }[] }>(`/api/workspaces/${ws}/notes`)).body.notes.map((n) => n.id);
  const idsOn = async (db: Db): Promise<string[]> => (await db.all<{ id: string }>('SELECT id FROM indicators WHERE workspace_id = ? ORDER BY id', [ws])).map((r) => r.id);

  beforeAll(async () => {
    lv = await startNation('lv-cert', 'LV', ['liga', 'lauris']);
    usPort = await freePort();
    usUrl = `http://127.0.0.1:${usPort}`;
    // us-cert made by its operator before it first starts: team, users, identity, the link, a workspace.
    usDb = await openStorage({ dataDir: usDir });
    await us('team', 'add', '--code', 'US', '--name', 'Team US');
    await runCommand(usDb, ['user', 'add', '--username', 'alice', '--team', 'US', '--password-stdin'], {
      stdin: Readable.from([`${NATION_PASSWORD}\n`]),
      stdout: new PassThrough(),
    });
    const usKey = (JSON.parse(await us('federation', 'identity', '--name', 'us-cert', '--url', usUrl)) as { publicKey: string }).publicKey;
    await us('federation', 'link', 'add', '--name', 'lv-cert', '--url', lv.url, '--teams', 'LV', '--key', lv.publicKey);
    ws = (await us('workspace', 'add', '--name', 'Operation Skewed Clock', '--owner', 'alice')).trim();
    await cli(lv, 'federation', 'link', 'add', '--name', 'us-cert', '--url', usUrl, '--teams', 'US', '--key', usKey);
    await startUs();
  }, 120_000);
  afterAll(async () => {
    for (const d of docs) d.destroy();
    ligaSocket?.close();
    if (usProc && usProc.child.exitCode === null && usProc.child.signalCode === null) {
      usProc.child.kill('SIGTERM');
      await usProc.exited;
    }
    await usDb?.close();
    await lv?.stop();
    rmSync(usDir, { recursive: true, force: true });
  });

  it('clocks 7 minutes apart: the link comes up, messages flow in order, a note converges, each side keeps its own time', async () => {
    // The handshake uses nonces and signatures, no clocks.
    await eventually(async () => {
      expect(lv.ctx.federation!.isUp('us-cert')).toBe(true);
      expect(await teamIdOn(lv, 'US')).toBe((await usDb.get<{ id: string }>("SELECT id FROM teams WHERE code = 'US'"))?.id);
      expect((await usDb.get<{ id: string }>("SELECT id FROM teams WHERE code = 'LV'"))?.id).toBe(await teamIdOn(lv, 'LV'));
    }, 60_000);
    const offerId = (await us('federation', 'offer', '--workspace', ws, '--link', 'lv-cert', '--role', 'hunter')).trim();
    await eventually(async () => expect((await sharesOn(lv)).find((s) => s.offerId === offerId)?.state).toBe('offered'), 30_000);
    await cli(lv, 'federation', 'accept', '--offer', offerId, '--link', 'us-cert');
    await eventually(async () => expect((await usDb.get<{ state: string }>('SELECT state FROM federation_shares WHERE offer_id = ?', [offerId]))?.state).toBe('active'), 30_000);

    alice = await new ApiClient(usUrl).login('alice', NATION_PASSWORD);
    liga = await loginOn(lv, 'liga');
    ligaSocket = await recordClient(lv.url, liga, ws);

    // Twenty indicators, one after the other: liga's socket gets them in that order.
    const made: string[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await alice.post<{ indicator: { id: string } }>(`/api/workspaces/${ws}/indicators`, {
        type: 'domain',
        value: `order-${i}.skew.example`,
        tlp: 'AMBER',
        releasableTo: ['US', 'LV'],
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      made.push(r.body.indicator.id);
    }
    await eventually(() => expect(ligaSocket.events.filter((e) => e.type === 'indicator:created').map((e) => e.recordId)).toEqual(made), 60_000);
    const lvSeqs = await lv.ctx.db.all<{ record_id: string }>("SELECT record_id FROM record_events WHERE workspace_id = ? AND type = 'indicator:created' ORDER BY seq", [ws]);
    expect(lvSeqs.map((r) => r.record_id)).toEqual(made);

    // Timestamps: us-cert stamps with its clock (7 minutes ahead of this process), lv-cert with its own.
    const sentAt = await usDb.get<{ at: string }>("SELECT at FROM audit_log WHERE action = 'federation.sent' AND detail LIKE ? ORDER BY id LIMIT 1", [`%${made[0]}%`]);
    const receivedAt = await lv.ctx.db.get<{ at: string }>("SELECT at FROM audit_log WHERE action = 'federation.received' AND detail LIKE ? ORDER BY id LIMIT 1", [`%${made[0]}%`]);
    const homeEventAt = await usDb.get<{ at: string }>("SELECT at FROM record_events WHERE workspace_id = ? AND record_id = ? AND type = 'indicator:created'", [ws, made[0]!]);
    const replicaEventAt = await lv.ctx.db.get<{ at: string }>("SELECT at FROM record_events WHERE workspace_id = ? AND record_id = ? AND type = 'indicator:created'", [
      ws,
      made[0]!,
    ]);
    const skew = (iso: string | undefined): number => Date.parse(iso!) - Date.now();
    expect(skew(sentAt?.at)).toBeGreaterThan(SHIFT_MS - 120_000);
    expect(skew(homeEventAt?.at)).toBeGreaterThan(SHIFT_MS - 120_000);
    // The event keeps the time its home gave it (the home's record of when it happened) ...
    expect(replicaEventAt?.at).toBe(homeEventAt?.at);
    // ... and lv-cert's own audit row of receiving it is in lv-cert's time.
    expect(receivedAt).toBeDefined();
    expect(Math.abs(skew(receivedAt!.at))).toBeLessThan(120_000);

    // A note co-edited from both sides converges despite the clocks.
    const id = await note('Skewed clocks');
    await eventually(async () => expect(await lvNotes()).toContain(id), 30_000);
    const a = open(docClient({ url: usUrl }, id, alice));
    const l = open(docClient(lv, id, liga));
    await Promise.all([synced(a, 30_000), synced(l, 30_000)]);
    a.text.insert(0, 'US ahead. ');
    l.text.insert(0, 'LV on time. ');
    await eventually(() => {
      expect(a.text.toString()).toBe(l.text.toString());
      expect(a.text.toString()).toContain('US ahead.');
      expect(a.text.toString()).toContain('LV on time.');
    }, 30_000);
  }, 240_000);

  it('kill -9 of us-cert mid-stream, restarted on its data: both sides converge, nothing lost or doubled', async () => {
    const id = await note('Killed mid-stream');
    await eventually(async () => expect(await lvNotes()).toContain(id), 30_000);
    const a = open(docClient({ url: usUrl }, id, alice));
    const l = open(docClient(lv, id, liga));
    await Promise.all([synced(a, 30_000), synced(l, 30_000)]);

    let writing = true;
    let ai = 0;
    let li = 0;
    const acked: string[] = [];
    let refused = 0;
    const typing = (async () => {
      while (writing) {
        a.text.insert(a.text.length, `[a${ai++}]`);
        l.text.insert(l.text.length, `[l${li++}]`);
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    const creating = (async () => {
      let n = 0;
      while (writing) {
        try {
          const r = await alice.post<{ indicator: { id: string } }>(`/api/workspaces/${ws}/indicators`, {
            type: 'domain',
            value: `kill-${n++}.skew.example`,
            tlp: 'AMBER',
            releasableTo: ['US', 'LV'],
          });
          if (r.status === 201) acked.push(r.body.indicator.id);
          else refused++;
        } catch {
          refused++;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    })();
    // liga adds indicators on lv-cert (homed there) all along: while us-cert is down they wait in
    // lv-cert's outbox.
    const ackedLv: string[] = [];
    const creatingLv = (async () => {
      let n = 0;
      while (writing) {
        const r = await liga.post<{ indicator: { id: string } }>(`/api/workspaces/${ws}/indicators`, {
          type: 'domain',
          value: `lv-${n++}.skew.example`,
          tlp: 'AMBER',
          releasableTo: ['US', 'LV'],
        });
        expect(r.status, JSON.stringify(r.body)).toBe(201);
        ackedLv.push(r.body.indicator.id);
        await new Promise((res) => setTimeout(res, 100));
      }
    })();
    // Mid-stream: after both sides have seen some of each other's edits and some indicators crossed.
    await eventually(() => {
      expect(l.text.toString()).toContain('[a5]');
      expect(a.text.toString()).toContain('[l5]');
      expect(acked.length).toBeGreaterThan(3);
    }, 60_000);
    usProc.child.kill('SIGKILL');
    expect((await usProc.exited).signal).toBe('SIGKILL');
    const atKill = { ai, li, acked: acked.length, ackedLv: ackedLv.length };
    // Both keep typing while us-cert is down (alice's client holds hers, lv-cert's outbox liga's).
    await eventually(() => {
      expect(li).toBeGreaterThan(atKill.li + 10);
      expect(ackedLv.length).toBeGreaterThan(atKill.ackedLv + 3);
    }, 30_000);
    await startUs();
    await eventually(() => expect(lv.ctx.federation!.isUp('us-cert')).toBe(true), 60_000);
    await eventually(() => expect(acked.length).toBeGreaterThan(atKill.acked + 3), 60_000);
    writing = false;
    await Promise.all([typing, creating, creatingLv]);

    // Every edit made on either side is in both texts, exactly once, in the clients and in both databases.
    await eventually(() => expect(a.text.toString()).toBe(l.text.toString()), 60_000);
    const text = a.text.toString();
    for (let i = 0; i < ai; i++) expect(occurrences(text, `[a${i}]`), `[a${i}]`).toBe(1);
    for (let i = 0; i < li; i++) expect(occurrences(text, `[l${i}]`), `[l${i}]`).toBe(1);
    await eventually(async () => {
      expect(await storedText(usDb, id)).toBe(text);
      expect(await storedText(lv.ctx.db, id)).toBe(text);
    }, 60_000);

    // Indicators: what us-cert acknowledged is there; lv-cert holds exactly what us-cert holds, each
    // created once on either side.
    await eventually(async () => expect(await idsOn(lv.ctx.db)).toEqual(await idsOn(usDb)), 60_000);
    const homeIds = await idsOn(usDb);
    for (const idAcked of acked) expect(homeIds).toContain(idAcked);
    // liga's, made while us-cert was down too, reached it from lv-cert's outbox.
    for (const idAcked of ackedLv) expect(homeIds).toContain(idAcked);
    for (const db of [usDb, lv.ctx.db]) {
      const doubled = await db.all(
        "SELECT record_id, COUNT(*) AS n FROM record_events WHERE workspace_id = ? AND type = 'indicator:created' GROUP BY record_id HAVING COUNT(*) > 1",
        [ws],
      );
      expect(doubled).toEqual([]);
    }
    const created = await lv.ctx.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM record_events WHERE workspace_id = ? AND type = 'indicator:created'", [ws]);
    expect(Number(created?.n)).toBe(homeIds.length);
    console.log(
      `kill -9: ${ai} US edits, ${li} LV edits, ${acked.length} indicators acknowledged by us-cert (${atKill.acked} before the kill), ${refused} refused or failed while down, ${ackedLv.length} made on lv-cert (${atKill.ackedLv} before the kill)`,
    );
  }, 300_000);
});

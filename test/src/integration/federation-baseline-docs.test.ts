/**
 * The documents' part of a baseline (server/src/federation/documents/baseline.ts), on two real
 * instances: a share's notes (one of about 1.5 MB, over a link frame by itself) are sent after the
 * activation commits, one document at a time, the large one in pieces. The home is restarted in the
 * middle (the link suspended first, so the baseline is caught half sent); meanwhile a note the baseline
 * had not reached is narrowed to US only (it must never reach lv-cert: its data directory is searched for
 * the note's marker), one is edited (its copy carries the edit) and the large one, already reached, is
 * edited (the edit goes live). Afterwards lv-cert holds exactly the visible notes, each as us-cert holds it.
 * And a note narrowed between its metadata and its state (the worker's fold held by the test) gets its
 * revoke and never its state; after an outbox drop, a note the peer holds that narrows before the fresh
 * baseline reaches it is revoked there, and an edit made meanwhile arrives with its note's state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startHuntroom, type Huntroom } from '@huntroom/server';
import { eventually, makeWorkspace, uniq } from '../helpers/foundation.js';
import { cli, FAST_LINKS, linkNations, loginOn, shareWorkspace, sharesOn, startNation, type Nation } from '../helpers/federation.js';
import { count, dataBytes, storedText } from '../helpers/federationData.js';
import { GENEROUS_LIMITS } from '../helpers/server.js';
import { connect, synced } from '../helpers/yjs.js';
import { largeNoteState } from '../helpers/largeNote.js';
import type { ApiClient } from '../helpers/http.js';

/** The large note's size, roughly: over the link's 1 MB frame as one update. */
const LARGE_BYTES = 1_500_000;
/** The receiver's trial threshold (collab options' default): no piece of a state is larger. */
const PIECE_BYTES = 32 * 1024;

/** A large note: long pastes and single-character edits at scattered places, and some deletions. */
const largeNote = (bytes: number, seed = 7): Uint8Array => largeNoteState(bytes, seed);

/** A short note's text as one update. */
function textState(content: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, content);
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}

describe("the documents' part of a baseline", () => {
  let us: Nation;
  let lv: Nation;
  /** us-cert after its restart (same data directory and port). */
  let usNode: Huntroom;
  let alice: ApiClient;

  beforeAll(async () => {
    [us, lv] = await Promise.all([startNation('us-cert', 'US', ['alice']), startNation('lv-cert', 'LV', ['liga'])]);
    usNode = us;
    await linkNations(us, lv);
    alice = await loginOn(us, 'alice');
  }, 90_000);
  afterAll(async () => {
    if (usNode !== us) await usNode.close();
    await Promise.all([us?.stop(), lv?.stop()]);
  });

  /** A note alice makes on us-cert, its content stored directly (as compaction leaves a note: one row). */
  const note = async (ws: string, title: string, state: Uint8Array, releasableTo = ['US', 'LV']): Promise<string> => {
    const r = await alice.post<{ id: string }>(`/api/workspaces/${ws}/notes`, { title, marking: { tlp: 'AMBER', releasableTo } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    await us.ctx.db.run('INSERT INTO doc_updates (doc_id, data) VALUES (?, ?)', [r.body.id, Buffer.from(state)]);
    return r.body.id;
  };
  const progress = (node: Huntroom, ws: string) => node.ctx.db.get<{ pending: string | null }>('SELECT pending FROM federation_doc_baselines WHERE workspace_id = ?', [ws]);
  const docsOn = async (node: Huntroom, ws: string): Promise<string[]> =>
    (await node.ctx.db.all<{ id: string }>("SELECT id FROM documents WHERE workspace_id = ? AND kind = 'note' ORDER BY id", [ws])).map((r) => r.id);

  /** Offers `ws` and accepts it on lv-cert; resolves once us-cert has the share active (looked at every few ms). */
  async function share(ws: string): Promise<{ activationMs: number }> {
    const offerId = (await cli(us, 'federation', 'offer', '--workspace', ws, '--link', 'lv-cert', '--role', 'hunter')).trim();
    await eventually(async () => expect((await sharesOn(lv)).find((s) => s.offerId === offerId)?.state).toBe('offered'), 20_000);
    const accepted = performance.now();
    await cli(lv, 'federation', 'accept', '--offer', offerId, '--link', 'us-cert');
    await eventually(
      async () => expect((await us.ctx.db.get<{ state: string }>('SELECT state FROM federation_shares WHERE offer_id = ?', [offerId]))?.state).toBe('active'),
      30_000,
    );
    return { activationMs: performance.now() - accepted };
  }

  /** Asks us-cert's /healthz every 50 ms until stopped; the slowest answer. */
  function probe(): { stop: () => Promise<{ slowest: number; probes: number }> } {
    let on = true;
    const seen = { slowest: 0, probes: 0 };
    const loop = (async () => {
      while (on) {
        const t = performance.now();
        const r = await fetch(`${us.url}/healthz`);
        expect(r.status).toBe(200);
        seen.slowest = Math.max(seen.slowest, performance.now() - t);
        seen.probes++;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    return {
      stop: async () => {
        on = false;
        await loop;
        return seen;
      },
    };
  }

  it('sends every visible note after the activation, a large one whole and in pieces, with the home responsive', async () => {
    const ws = await makeWorkspace(alice, 'Operation Heavy Pen');
    const large = await note(ws, 'Large note', largeNote(LARGE_BYTES, 7));
    const second = await note(ws, 'Another large note', largeNote(LARGE_BYTES / 2, 9));
    const small: string[] = [];
    for (let i = 0; i < 6; i++) small.push(await note(ws, `Small ${i}`, textState(`small note ${i} from before the share`)));
    const all = [large, second, ...small];

    const healthz = probe();
    const t0 = performance.now();
    const { activationMs } = await share(ws);
    // The activation did not wait for the documents: none of the small notes (after the large ones in
    // the baseline's order) is in the home's outbox or on lv-cert yet.
    const queued = await us.ctx.db.all<{ body: string }>("SELECT body FROM federation_outbox WHERE link = 'lv-cert' AND type = 'doc.update'");
    expect(queued.filter((r) => small.some((id) => r.body.includes(id)))).toEqual([]);
    expect((await docsOn(lv, ws)).filter((id) => small.includes(id))).toEqual([]);
    expect(await progress(us, ws)).toBeDefined();

    // Done when the home has nothing left to send and lv-cert acknowledged (applied) every message. The
    // texts are compared after the probe: folding 1.5 MB here would stall this process's event loop.
    await eventually(async () => {
      expect(await progress(us, ws)).toBeUndefined();
      expect(await count(us, "SELECT COUNT(*) AS n FROM federation_outbox WHERE link = 'lv-cert'", [])).toBe(0);
    }, 240_000);
    const totalMs = performance.now() - t0;
    const { slowest, probes } = await healthz.stop();
    console.log(
      `documents' baseline of 2 large notes (${LARGE_BYTES} and ${LARGE_BYTES / 2} characters) and 6 small: share active at the home ${activationMs.toFixed(0)} ms after the acceptance, all on lv-cert after ${(totalMs / 1000).toFixed(1)} s; slowest us-cert /healthz ${slowest.toFixed(0)} ms over ${probes} probes`,
    );
    expect(probes).toBeGreaterThan(5);
    // Both instances run in this process, so a probe also waits for lv-cert's applies: a loose bound.
    expect(slowest).toBeLessThan(4_000);
    expect(await docsOn(lv, ws)).toEqual([...all].sort());
    for (const id of all) expect(await storedText(lv, id), id).toBe(await storedText(us, id));
    expect((await storedText(lv, large)).length).toBeGreaterThan(LARGE_BYTES);
    // In pieces under the trial threshold, none larger.
    const pieces = await lv.ctx.db.get<{ n: number; max: number }>('SELECT COUNT(*) AS n, MAX(LENGTH(data)) AS max FROM doc_updates WHERE doc_id = ?', [large]);
    console.log(`the large note in ${pieces!.n} pieces, the largest ${pieces!.max} bytes`);
    expect(Number(pieces!.n)).toBeGreaterThan(10);
    expect(Number(pieces!.max)).toBeLessThanOrEqual(PIECE_BYTES);
    expect(await us.ctx.db.get("SELECT id FROM audit_log WHERE action = 'federation.baseline.documents.sent' AND workspace_id = ?", [ws])).toBeDefined();
  }, 400_000);

  it('a note narrowed between its metadata and its state gets its revoke and no state', async () => {
    const ws = await makeWorkspace(alice, 'Operation Late Narrowing');
    const marker = uniq('betweensteps').toLowerCase();
    // Over 64 KB stored, so its state is folded and cut in the worker pool, which the gate below holds.
    const doc = new Y.Doc();
    Y.applyUpdate(doc, largeNote(200_000, 21));
    doc.getText('t').insert(0, `secret words ${marker} `);
    const secret = await note(ws, 'Narrowed in the middle', Y.encodeStateAsUpdate(doc));
    doc.destroy();
    const after = await note(ws, 'After it', textState('the note after it'));

    // The worker's answer for the documents' baseline waits for the test (a slow fold, made certain).
    const workers = us.ctx.resources.workers;
    const run = workers.run.bind(workers);
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let held = 0;
    workers.run = async (name, input, opts) => {
      if (name === 'statePiecesTask') {
        held++;
        await gate;
      }
      return run(name, input, opts);
    };
    try {
      await share(ws);
      await eventually(async () => {
        expect(await docsOn(lv, ws)).toContain(secret);
        expect(held).toBeGreaterThan(0);
      }, 60_000);
      expect((await progress(us, ws))?.pending).toBe(secret);
      const narrowed = await alice.patch(`/api/workspaces/${ws}/notes/${secret}`, { marking: { tlp: 'AMBER', releasableTo: ['US'] } });
      expect(narrowed.status, JSON.stringify(narrowed.body)).toBe(200);
      await eventually(async () => expect(await docsOn(lv, ws)).not.toContain(secret), 60_000);
    } finally {
      open();
    }
    await eventually(async () => {
      expect(await progress(us, ws)).toBeUndefined();
      expect(await docsOn(lv, ws)).toEqual([after]);
      expect(await count(us, "SELECT COUNT(*) AS n FROM federation_outbox WHERE link = 'lv-cert'", [])).toBe(0);
    }, 120_000);
    workers.run = run;
    expect(await storedText(lv, after)).toBe('the note after it');
    expect((await dataBytes(lv)).includes(Buffer.from(marker))).toBe(false);
    // The state was not sent at all (lv-cert would have refused it, a document it no longer holds).
    const refused = await lv.ctx.db.all<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'federation.refused'");
    expect(refused.filter((r) => r.detail.includes(secret)).map((r) => r.detail)).toEqual([]);
  }, 300_000);

  it('resumes across a restart of the home; a note narrowed before the baseline reached it never reaches lv-cert', async () => {
    const ws = await makeWorkspace(alice, 'Operation Quiet Ledger');
    const marker = uniq('narrowed').toLowerCase();
    const large = await note(ws, 'Large note', largeNote(LARGE_BYTES, 11));
    const early: string[] = [];
    for (let i = 0; i < 3; i++) early.push(await note(ws, `Early ${i}`, textState(`early note ${i}`)));
    const hidden = await note(ws, 'To be narrowed', textState(`secret words ${marker} for US eyes only`));
    const last = await note(ws, 'Last', textState('the last note'));

    await share(ws);
    // Caught in the middle: the peer goes away once the large note's metadata arrived.
    await eventually(async () => expect(await docsOn(lv, ws)).toContain(large), 60_000);
    await cli(lv, 'federation', 'link', 'suspend', '--name', 'us-cert');
    await eventually(() => expect(us.ctx.federation!.isUp('lv-cert')).toBe(false), 20_000);
    expect(await progress(us, ws), 'the baseline finished before the link was suspended').toBeDefined();
    expect(await docsOn(lv, ws)).not.toContain(hidden);
    expect(await docsOn(lv, ws)).not.toContain(last);

    // While the peer is away: the note not reached yet is narrowed to US only; the last one is edited
    // (not sent live: its copy carries it); the large one, reached, is edited (sent live).
    const narrowed = await alice.patch(`/api/workspaces/${ws}/notes/${hidden}`, { marking: { tlp: 'AMBER', releasableTo: ['US'] } });
    expect(narrowed.status, JSON.stringify(narrowed.body)).toBe(200);
    for (const [id, words] of [
      [last, '[edited while lv-cert was away] '],
      [large, '[the large note, edited after its metadata went] '],
    ] as const) {
      const c = connect(us, id, alice);
      try {
        await synced(c, 120_000);
        c.text.insert(0, words);
        await eventually(async () => expect(await storedText(us, id)).toContain(words), 60_000);
      } finally {
        c.destroy();
      }
    }

    // The home restarts on its data (a clean stop; the progress row is written with each step either way).
    const port = us.port;
    await us.close();
    usNode = await startHuntroom({
      ...FAST_LINKS,
      env: { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: us.dataDir, LOG_LEVEL: 'silent', HUNTROOM_DEMO: 'off', ...GENEROUS_LIMITS },
    });
    await cli(lv, 'federation', 'link', 'resume', '--name', 'us-cert');
    const visible = [large, ...early, last];
    await eventually(async () => {
      expect(await progress(usNode, ws)).toBeUndefined();
      expect(await docsOn(lv, ws)).toEqual([...visible].sort());
      expect(await storedText(lv, last)).toBe(await storedText(usNode, last));
      expect(await storedText(lv, large)).toBe(await storedText(usNode, large));
    }, 240_000);
    for (const id of visible) expect(await storedText(lv, id), id).toBe(await storedText(usNode, id));
    expect(await storedText(lv, last)).toContain('[edited while lv-cert was away]');
    expect(await storedText(lv, large)).toContain('[the large note, edited after its metadata went]');

    // The narrowed note: not on lv-cert, not a byte of its content in lv-cert's files.
    expect(await count(lv, 'SELECT COUNT(*) AS n FROM documents WHERE id = ?', [hidden])).toBe(0);
    expect((await dataBytes(lv)).includes(Buffer.from(marker))).toBe(false);
    // (us-cert holds it: the search would find it there.)
    expect((await dataBytes(Object.assign(usNode, { dataDir: us.dataDir }))).includes(Buffer.from(marker))).toBe(true);
    // Each note's metadata crossed once (nothing sent live for a note before the baseline reached it).
    const metas = await lv.ctx.db.all<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'federation.received' AND workspace_id = ?", [ws]);
    const perDoc = new Map<string, number>();
    for (const r of metas) {
      const d = JSON.parse(r.detail) as { kind?: string; docId?: string };
      if (d.kind === 'doc.meta' && d.docId) perDoc.set(d.docId, (perDoc.get(d.docId) ?? 0) + 1);
    }
    expect([...perDoc.keys()].sort()).toEqual([...visible].sort());
    expect([...perDoc.values()].every((n) => n === 1)).toBe(true);
    // Nothing was sent that lv-cert had to refuse (a live update before its note's metadata, the narrowed note).
    const refused = await lv.ctx.db.all<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'federation.refused'");
    expect(refused.filter((r) => [...visible, hidden].some((id) => r.detail.includes(id))).map((r) => r.detail)).toEqual([]);
  }, 400_000);
});

describe("the documents' part of the fresh baseline after an outbox drop", () => {
  /** us-cert keeps at most 5 unacknowledged messages for a peer (as federation-baseline-retention). */
  const CHANNEL = { ...FAST_LINKS.federationChannel, retainMessages: 5, retentionCheckMs: 100 };
  let us: Nation;
  let lv: Nation;
  let alice: ApiClient;

  beforeAll(async () => {
    [us, lv] = await Promise.all([startNation('us-cert', 'US', ['alice'], {}, { federationChannel: CHANNEL }), startNation('lv-cert', 'LV', ['liga'])]);
    await linkNations(us, lv);
    alice = await loginOn(us, 'alice');
  }, 90_000);
  afterAll(async () => {
    await Promise.all([us?.stop(), lv?.stop()]);
  });

  it('revokes a note the peer holds that narrows before the fresh baseline reaches it, and sends the others with what was written meanwhile', async () => {
    const ws = await makeWorkspace(alice, 'Operation Long Silence');
    const make = async (title: string, content: string): Promise<string> => {
      const r = await alice.post<{ id: string }>(`/api/workspaces/${ws}/notes`, { title, marking: { tlp: 'AMBER', releasableTo: ['US', 'LV'] } });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      await us.ctx.db.run('INSERT INTO doc_updates (doc_id, data) VALUES (?, ?)', [r.body.id, Buffer.from(textState(content))]);
      return r.body.id;
    };
    const kept = await make('Kept', 'kept note');
    const narrowing = await make('Narrowed while away', 'narrowed note');
    const lastOne = await make('Also kept', 'also kept');
    await shareWorkspace(us, lv, ws, { members: ['liga'] });
    const onLv = async (): Promise<string[]> => (await lv.ctx.db.all<{ id: string }>('SELECT id FROM documents WHERE workspace_id = ? ORDER BY id', [ws])).map((r) => r.id);
    await eventually(async () => {
      expect(await onLv()).toEqual([kept, narrowing, lastOne].sort());
      expect(await storedText(lv, lastOne)).toBe('also kept');
    }, 60_000);

    // lv-cert goes away; more than 5 messages later us-cert drops its outbox and starts a fresh baseline.
    await cli(lv, 'federation', 'link', 'suspend', '--name', 'us-cert');
    await eventually(() => expect(us.ctx.federation!.isUp('lv-cert')).toBe(false), 20_000);
    for (let i = 0; i < 8; i++) {
      const r = await alice.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: `away-${i}.docs-drop.example`, tlp: 'AMBER', releasableTo: ['US', 'LV'] });
      expect(r.status).toBe(201);
    }
    await eventually(async () => expect(await us.ctx.db.get("SELECT id FROM audit_log WHERE action = 'federation.outbox.dropped'")).toBeDefined(), 20_000);
    expect(await us.ctx.db.get('SELECT after_id FROM federation_doc_baselines WHERE workspace_id = ?', [ws])).toEqual({ after_id: '' });

    // Before the fresh baseline reaches them: one note narrows to US only, one is edited.
    const narrowed = await alice.patch(`/api/workspaces/${ws}/notes/${narrowing}`, { marking: { tlp: 'AMBER', releasableTo: ['US'] } });
    expect(narrowed.status, JSON.stringify(narrowed.body)).toBe(200);
    const c = connect(us, kept, alice);
    try {
      await synced(c, 60_000);
      c.text.insert(0, '[edited while away] ');
      await eventually(async () => expect(await storedText(us, kept)).toContain('[edited while away]'), 30_000);
    } finally {
      c.destroy();
    }

    await cli(lv, 'federation', 'link', 'resume', '--name', 'us-cert');
    await eventually(async () => {
      expect(await us.ctx.db.get('SELECT link FROM federation_doc_baselines WHERE workspace_id = ?', [ws])).toBeUndefined();
      expect(await onLv()).toEqual([kept, lastOne].sort());
      expect(await storedText(lv, kept)).toBe(await storedText(us, kept));
    }, 60_000);
    expect(await storedText(lv, kept)).toContain('[edited while away]');
    const refused = await lv.ctx.db.all<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'federation.refused'");
    expect(refused.filter((r) => [kept, narrowing, lastOne].some((id) => r.detail.includes(id))).map((r) => r.detail)).toEqual([]);
  }, 300_000);
});

/**
 * Three instances (issue 20 item 7): us-cert is linked to lv-cert and to ee-cert (lv-cert and ee-cert
 * are not linked to each other), and one US workspace is shared with both. What is releasable to LV
 * only reaches lv-cert and never ee-cert: a unique marker is searched for byte by byte in ee-cert's data
 * directory (after a WAL checkpoint) and in every frame an EE user's sockets (socket.io and y-websocket)
 * received. What is releasable to both reaches both. What is homed at lv-cert is not relayed by us-cert
 * to ee-cert (docs/federation.md section 8: no transitive relay), even when its marking lets every team
 * see it, nor what is homed at ee-cert to lv-cert.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorkspace, uniq } from '../helpers/foundation.js';
import { linkNations, loginOn, shareWorkspace, startNation, type Nation } from '../helpers/federation.js';
import { count, dataBytes, recordingClient, storedText } from '../helpers/federationData.js';
import type { ApiClient } from '../helpers/http.js';
import { eventually, synced, type Client as DocClient } from '../helpers/yjs.js';
import { connect, type Client as RecordClient } from './indicators-helpers.js';

describe('three instances: us-cert linked to lv-cert and ee-cert', () => {
  let us: Nation;
  let lv: Nation;
  let ee: Nation;
  let alice: ApiClient;
  let liga: ApiClient;
  let erik: ApiClient;
  let erikSocket: RecordClient;
  let erikDoc: DocClient & { frames: Buffer[] };
  let ws: string;
  const docs: DocClient[] = [];
  const open = <C extends DocClient>(c: C): C => {
    docs.push(c);
    return c;
  };

  const note = async (as: ApiClient, title: string, marking: Record<string, unknown>): Promise<string> => {
    const r = await as.post<{ id: string }>(`/api/workspaces/${ws}/notes`, { title, marking });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id;
  };
  const indicator = async (as: ApiClient, body: Record<string, unknown>): Promise<string> => {
    const r = await as.post<{ indicator: { id: string } }>(`/api/workspaces/${ws}/indicators`, body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.indicator.id;
  };
  const notesOf = async (as: ApiClient): Promise<string[]> => {
    const r = await as.get<{ notes: { id: string }[] }>(`/api/workspaces/${ws}/notes`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.notes.map((n) => n.id);
  };
  const indicatorsOf = async (as: ApiClient): Promise<string[]> => {
    const r = await as.get<{ items: { id: string }[] }>(`/api/workspaces/${ws}/indicators?limit=1000`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.items.map((i) => i.id);
  };
  /** A note and an indicator every team may see, made on us-cert last: once ee-cert has both, the link
   * has carried everything us-cert wrote before them (each link is ordered). */
  const probeEe = async (): Promise<void> => {
    const n = await note(alice, `probe ${uniq()}`, { tlp: 'GREEN', releasableTo: [] });
    const i = await indicator(alice, { type: 'domain', value: `${uniq('probe')}.example`, tlp: 'CLEAR' });
    await eventually(async () => {
      expect(await notesOf(erik)).toContain(n);
      expect(await indicatorsOf(erik)).toContain(i);
      expect(erikSocket.events.some((e) => e.recordId === i)).toBe(true);
    }, 30_000);
  };
  /** The marker in neither ee-cert's files nor any frame erik's sockets received. */
  const notOnEe = async (marker: string): Promise<void> => {
    expect((await dataBytes(ee)).includes(Buffer.from(marker)), "ee-cert's files").toBe(false);
    expect(erikSocket.raw.join('\n').includes(marker), "erik's socket.io frames").toBe(false);
    expect(erikDoc.frames.length).toBeGreaterThan(0);
    expect(Buffer.concat(erikDoc.frames).includes(Buffer.from(marker)), "erik's y-websocket frames").toBe(false);
  };

  beforeAll(async () => {
    [us, lv, ee] = await Promise.all([
      startNation('us-cert', 'US', ['alice', 'adam']),
      startNation('lv-cert', 'LV', ['liga', 'lauris']),
      startNation('ee-cert', 'EE', ['erik', 'eva']),
    ]);
    await linkNations(us, lv);
    await linkNations(us, ee);
    alice = await loginOn(us, 'alice');
    ws = await makeWorkspace(alice, 'Operation Three Rivers');
    await shareWorkspace(us, lv, ws);
    await shareWorkspace(us, ee, ws);
    [liga, erik] = await Promise.all([loginOn(lv, 'liga'), loginOn(ee, 'erik')]);
    erikSocket = await connect(ee.url, erik, ws);
    // erik keeps a note every team may see open, so its socket would carry anything wrongly relayed.
    const common = await note(alice, 'Common scratch', { tlp: 'GREEN', releasableTo: [] });
    await eventually(async () => expect(await notesOf(erik)).toContain(common), 30_000);
    erikDoc = open(recordingClient(ee, common, erik));
    await synced(erikDoc);
  }, 180_000);
  afterAll(async () => {
    for (const d of docs) d.destroy();
    erikSocket?.close();
    await Promise.all([us?.stop(), lv?.stop(), ee?.stop()]);
  });

  it('a note and an indicator releasable to LV only reach lv-cert and never ee-cert', async () => {
    const marker = uniq('lvonly').toLowerCase();
    const noteId = await note(alice, `Title ${marker}`, { tlp: 'AMBER', releasableTo: ['US', 'LV'] });
    const a = open(recordingClient(us, noteId, alice));
    await synced(a);
    a.text.insert(0, `body ${marker} for LV`);
    const indId = await indicator(alice, { type: 'domain', value: `${marker}.example`, tlp: 'AMBER', releasableTo: ['US', 'LV'] });
    // A comment on an indicator everyone sees, but itself LV only.
    const shared = await indicator(alice, { type: 'domain', value: `${uniq('shared')}.example`, tlp: 'GREEN' });
    const c = await alice.post(`/api/workspaces/${ws}/indicators/${shared}/comments`, { body: `comment ${marker}`, tlp: 'AMBER', releasableTo: ['US', 'LV'] });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    // A common edit erik's editor receives, after the LV-only one.
    const common = open(recordingClient(us, erikDoc.provider.roomname, alice));
    await synced(common);
    common.text.insert(0, 'common words ');
    await eventually(() => expect(erikDoc.text.toString()).toContain('common words'), 30_000);

    await eventually(async () => {
      expect(await notesOf(liga)).toContain(noteId);
      expect(await indicatorsOf(liga)).toContain(indId);
      expect(await storedText(lv, noteId)).toContain(marker);
    }, 30_000);
    await probeEe();
    expect(await notesOf(erik)).not.toContain(noteId);
    expect(await indicatorsOf(erik)).not.toContain(indId);
    expect(await indicatorsOf(erik)).toContain(shared);
    expect(await count(ee, 'SELECT COUNT(*) AS n FROM documents WHERE id = ?', [noteId])).toBe(0);
    expect(await count(ee, 'SELECT COUNT(*) AS n FROM indicators WHERE id = ?', [indId])).toBe(0);
    await notOnEe(marker);
    // The search can find it where it is: at home and on lv-cert.
    expect((await dataBytes(us)).includes(Buffer.from(marker))).toBe(true);
    expect((await dataBytes(lv)).includes(Buffer.from(marker))).toBe(true);
  }, 180_000);

  it('a note and an indicator releasable to both reach both', async () => {
    const marker = uniq('both').toLowerCase();
    const noteId = await note(alice, `Both ${marker}`, { tlp: 'AMBER', releasableTo: ['US', 'LV', 'EE'] });
    const a = open(recordingClient(us, noteId, alice));
    await synced(a);
    a.text.insert(0, `body ${marker} for both`);
    const indId = await indicator(alice, { type: 'domain', value: `${marker}.example`, tlp: 'AMBER', releasableTo: ['US', 'LV', 'EE'] });
    await eventually(async () => {
      for (const [node, as] of [
        [lv, liga],
        [ee, erik],
      ] as const) {
        expect(await notesOf(as)).toContain(noteId);
        expect(await indicatorsOf(as)).toContain(indId);
        expect(await storedText(node, noteId)).toBe(a.text.toString());
      }
    }, 30_000);
    await eventually(() => expect(erikSocket.events.filter((e) => e.recordId === indId).map((e) => e.type)).toEqual(['indicator:created']), 30_000);
    expect((await dataBytes(ee)).includes(Buffer.from(marker))).toBe(true);
  }, 120_000);

  it('items homed at lv-cert are not relayed by us-cert to ee-cert (no transitive relay)', async () => {
    const marker = uniq('lvhome').toLowerCase();
    // liga makes them on lv-cert, in the replica of the US workspace, visible to every team (GREEN/CLEAR
    // with no releasable-to list): only the relay rule can keep them from ee-cert.
    const noteId = await note(liga, `LV note ${marker}`, { tlp: 'GREEN', releasableTo: [] });
    const l = open(recordingClient(lv, noteId, liga));
    await synced(l);
    l.text.insert(0, `lv body ${marker}`);
    const indId = await indicator(liga, { type: 'domain', value: `${marker}.example`, tlp: 'CLEAR' });
    // They go to us-cert, the workspace's home, where alice sees them; us-cert knows their home.
    await eventually(async () => {
      expect(await notesOf(alice)).toContain(noteId);
      expect(await indicatorsOf(alice)).toContain(indId);
      expect(await storedText(us, noteId)).toContain(marker);
    }, 30_000);
    expect((await us.ctx.db.get<{ home_link: string }>("SELECT home_link FROM teams WHERE code = 'LV'"))?.home_link).toBe('lv-cert');
    // An edit alice makes on us-cert to the LV-homed note goes back to its home, not on to ee-cert.
    const a = open(recordingClient(us, noteId, alice));
    await synced(a);
    a.text.insert(a.text.length, ` us addition ${marker}`);
    await eventually(async () => expect(await storedText(lv, noteId)).toContain(`us addition ${marker}`), 30_000);

    await probeEe();
    expect(await notesOf(erik)).not.toContain(noteId);
    expect(await indicatorsOf(erik)).not.toContain(indId);
    expect(await count(ee, 'SELECT COUNT(*) AS n FROM documents WHERE id = ?', [noteId])).toBe(0);
    expect(await count(ee, 'SELECT COUNT(*) AS n FROM indicators WHERE id = ?', [indId])).toBe(0);
    await notOnEe(marker);
    // us-cert wrote no crossing of them to ee-cert in its audit trail.
    expect(await count(us, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'federation.sent' AND detail LIKE ? AND detail LIKE '%ee-cert%'", [`%${indId}%`])).toBe(0);
  }, 180_000);

  it('and the other way: an indicator homed at ee-cert is not relayed to lv-cert', async () => {
    const marker = uniq('eehome').toLowerCase();
    const indId = await indicator(erik, { type: 'domain', value: `${marker}.example`, tlp: 'CLEAR' });
    await eventually(async () => expect(await indicatorsOf(alice)).toContain(indId), 30_000);
    // Something every team sees, made on us-cert after it: once lv-cert has it, the link carried the rest.
    const probe = await indicator(alice, { type: 'domain', value: `${uniq('probe')}.example`, tlp: 'CLEAR' });
    await eventually(async () => expect(await indicatorsOf(liga)).toContain(probe), 30_000);
    expect(await indicatorsOf(liga)).not.toContain(indId);
    expect(await count(lv, 'SELECT COUNT(*) AS n FROM indicators WHERE id = ?', [indId])).toBe(0);
    expect((await dataBytes(lv)).includes(Buffer.from(marker))).toBe(false);
    expect((await dataBytes(us)).includes(Buffer.from(marker))).toBe(true);
  }, 120_000);
});

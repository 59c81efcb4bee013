/**
 * Malware samples across two real instances (issue 20, server/src/federation/records/samples.ts): a
 * sample's metadata (name, hashes, sizes, uploader, finding) crosses with its finding, in the baseline
 * and live; a widened finding brings its samples, a narrowed or deleted one takes them away; a delete at
 * the home follows. The file's bytes never cross: lv-cert holds no chunk and its download answers 409
 * naming the home. A sample on a finding LV may not see leaves no trace in lv-cert's files or in
 * liga's frames; a crafted sample event is refused and changes nothing.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, makeWorkspace, uniq } from '../helpers/foundation.js';
import { loginOn, shareWorkspace, teamIdOn, type Nation } from '../helpers/federation.js';
import { nationPair } from '../helpers/nationPair.js';
import { count, dataBytes } from '../helpers/federationData.js';
import type { ApiClient } from '../helpers/http.js';
import { connect, type Client } from './indicators-helpers.js';
import { call, makeFinding, samplesPath, upload } from './samples-helpers.js';

interface Uploaded {
  id: string;
  sha256: string;
  md5: string;
  filename: string;
}

describe('malware samples across instances', () => {
  let us: Nation;
  let lv: Nation;
  let alice: ApiClient;
  let ligaApi: ApiClient;
  let liga: Client;
  let ws: string;
  let open: string;
  let secret: string;
  let hiddenSample: Uploaded;
  const hiddenName = `${uniq('hiddensample')}.exe`;

  const put = async (finding: string, name: string): Promise<Uploaded> => {
    const res = await upload(us.url, alice, ws, finding, randomBytes(2000), { name });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as Uploaded;
  };
  const lvSamples = async (finding: string): Promise<{ status: number; ids: string[]; items: Record<string, unknown>[] }> => {
    const res = await ligaApi.get<{ items?: ({ id: string } & Record<string, unknown>)[] }>(samplesPath(ws, finding));
    const items = res.body.items ?? [];
    return { status: res.status, ids: items.map((s) => s.id), items };
  };

  const nations = nationPair();
  beforeAll(async () => {
    ({ us, lv } = nations);
    alice = await loginOn(us, 'alice');
    ws = await makeWorkspace(alice, 'Operation Sample Crossing');
  });
  afterAll(() => liga?.close());

  it('sends the metadata of the samples of a finding LV may see in the baseline, and nothing of the file', async () => {
    open = await makeFinding(us.url, alice, ws, { tlp: 'AMBER', releasableTo: ['US', 'LV'] }, 'Dropper on the mail gateway');
    secret = await makeFinding(us.url, alice, ws, { tlp: 'RED', releasableTo: ['US'] }, 'US only implant');
    const before = await put(open, 'dropper.exe');
    hiddenSample = await put(secret, hiddenName);

    await shareWorkspace(us, lv, ws, { members: ['liga'] });
    ligaApi = await loginOn(lv, 'liga');
    await eventually(async () => expect((await lvSamples(open)).ids).toEqual([before.id]), 20_000);
    const [seen] = (await lvSamples(open)).items;
    expect(seen).toMatchObject({ id: before.id, findingId: open, filename: 'dropper.exe', sha256: before.sha256, md5: before.md5, size: 2000, team: { code: 'US' } });
    // Metadata only: no chunk of any ZIP on lv-cert, and its download says where the file is.
    expect(await count(lv, 'SELECT COUNT(*) AS n FROM hunt_sample_chunks', [])).toBe(0);
    const dl = await call(lv.url, ligaApi, 'GET', `${samplesPath(ws, open)}/${before.id}`);
    expect(dl.status).toBe(409);
    expect(dl.body.error.message).toContain('us-cert');
    expect(dl.headers.get('content-type')).not.toContain('zip');
    // The hidden finding and its sample: not there.
    expect((await lvSamples(secret)).status).toBe(404);
    expect(await count(lv, 'SELECT COUNT(*) AS n FROM hunt_samples WHERE id = ?', [hiddenSample.id])).toBe(0);
    liga = await connect(lv.url, ligaApi, ws);
  }, 60_000);

  it('delivers a new sample live to liga, a delete at the home follows, and liga cannot delete a US sample', async () => {
    const live = await put(open, 'second-stage.dll');
    await eventually(() => expect(liga.events.some((e) => e.type === 'sample:created' && (e.payload as { sample: { id: string } }).sample.id === live.id)).toBe(true), 20_000);
    expect((await lvSamples(open)).ids).toContain(live.id);

    // liga's delete goes to the home, which refuses it (LV neither uploaded it nor owns the workspace).
    const refused = await ligaApi.delete<{ error: { code: string } }>(`${samplesPath(ws, open)}/${live.id}`);
    expect(refused.status, JSON.stringify(refused.body)).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
    expect(await count(us, 'SELECT COUNT(*) AS n FROM hunt_samples WHERE id = ?', [live.id])).toBe(1);
    expect((await lvSamples(open)).ids).toContain(live.id);

    expect((await alice.delete(`${samplesPath(ws, open)}/${live.id}`)).status).toBe(200);
    await eventually(async () => expect((await lvSamples(open)).ids).not.toContain(live.id), 20_000);
    expect(await count(lv, 'SELECT COUNT(*) AS n FROM hunt_samples WHERE id = ?', [live.id])).toBe(0);
  }, 60_000);

  it('brings the samples of a widened finding, and a narrowing takes finding and samples away', async () => {
    const later = await makeFinding(us.url, alice, ws, { tlp: 'RED', releasableTo: ['US'] }, 'Widened later');
    const onIt = await put(later, 'loader.bin');
    expect((await alice.patch(`/api/workspaces/${ws}/findings/${later}`, { tlp: 'AMBER', releasableTo: ['US', 'LV'] })).status).toBe(200);
    await eventually(async () => expect((await lvSamples(later)).ids).toEqual([onIt.id]), 20_000);
    expect(await count(lv, "SELECT COUNT(*) AS n FROM record_events WHERE record_id = ? AND type = 'sample:created'", [later])).toBe(1);

    expect((await alice.patch(`/api/workspaces/${ws}/findings/${later}`, { tlp: 'RED', releasableTo: ['US'] })).status).toBe(200);
    await eventually(async () => expect((await lvSamples(later)).status).toBe(404), 20_000);
    expect(await count(lv, 'SELECT COUNT(*) AS n FROM hunt_samples WHERE finding_id = ?', [later])).toBe(0);
    // Its past follows the marking on lv-cert too: catch-up no longer hands the sample's event to LV.
    const sync = await liga.socket.emitWithAck('sync', { workspaceId: ws, sinceSeq: 0 });
    expect(sync.ok).toBe(true);
    expect((sync.data.events as { recordId: string; type: string }[]).filter((e) => e.recordId === later && e.type === 'sample:created')).toEqual([]);
  }, 60_000);

  it('refuses a crafted sample event: malformed, or for a finding the link is not the home of', async () => {
    const usTeam = (await teamIdOn(us, 'US'))!;
    const lvTeam = (await teamIdOn(lv, 'LV'))!;
    const lvFinding = await makeFinding(lv.url, ligaApi, ws, { tlp: 'AMBER', releasableTo: ['LV', 'US'] }, 'LV finding');
    const view = (findingId: string, sha256: string) => ({
      id: randomUUID(),
      workspaceId: ws,
      findingId,
      filename: 'crafted.exe',
      size: 10,
      md5: 'a'.repeat(32),
      sha1: 'b'.repeat(40),
      sha256,
      zipSize: 200,
      uploadedBy: randomUUID(),
      team: { id: usTeam, code: 'US' },
      createdAt: '2026-11-01T00:00:00.000Z',
    });
    const event = (findingId: string, owner: string, sha256: string) => ({
      homeSeq: 1,
      type: 'sample:created',
      recordId: findingId,
      at: '2026-11-01T00:00:00.000Z',
      actor: null,
      audience: { item: { marking: { tlp: 'AMBER', releasableTo: [usTeam, lvTeam] }, ownerTeamId: owner } },
      payload: { sample: view(findingId, sha256) },
    });
    const crafted = [
      { workspaceId: ws, events: [event(open, usTeam, 'not-a-hash')] },
      // lv-cert's own finding, claimed by us-cert.
      { workspaceId: ws, events: [event(lvFinding, usTeam, 'c'.repeat(64))] },
    ];
    const refusedBefore = await count(lv, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'federation.refused'", []);
    const samplesBefore = await count(lv, 'SELECT COUNT(*) AS n FROM hunt_samples', []);
    const bus = us.ctx.federation!;
    await us.ctx.db.transaction(async (tx) => {
      for (const body of crafted) await bus.enqueue(tx, 'lv-cert', 'records.events', body);
    });
    bus.flush('lv-cert');
    await eventually(
      async () => expect(await count(lv, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'federation.refused'", [])).toBe(refusedBefore + crafted.length),
      20_000,
    );
    expect(await count(lv, 'SELECT COUNT(*) AS n FROM hunt_samples', [])).toBe(samplesBefore);
  }, 60_000);

  it('never lets a sample LV may not see reach lv-cert (database files and socket frames)', async () => {
    // One more on the hidden finding, live, and a visible one after it: the link is ordered.
    const hiddenLive = await put(secret, `${uniq('hiddenlive')}.exe`);
    const last = await put(open, 'after-hidden.exe');
    await eventually(async () => expect((await lvSamples(open)).ids).toContain(last.id), 20_000);
    await eventually(() => expect(liga.events.some((e) => e.type === 'sample:created' && (e.payload as { sample: { id: string } }).sample.id === last.id)).toBe(true), 20_000);

    const usBytes = await dataBytes(us);
    const lvBytes = await dataBytes(lv);
    const frames = liga.raw.join('\n');
    const markers = { hiddenName, hiddenSha: hiddenSample.sha256, hiddenId: hiddenSample.id, liveName: hiddenLive.filename, liveSha: hiddenLive.sha256, secret };
    for (const [what, marker] of Object.entries(markers)) {
      expect(usBytes.includes(marker), `${what} at home`).toBe(true);
      expect(lvBytes.includes(marker), `${what} in lv-cert's files`).toBe(false);
      expect(frames.includes(marker), `${what} in liga's frames`).toBe(false);
    }
    // The visible ones did cross (the search would see them), and no ZIP chunk ever did.
    expect(lvBytes.includes(last.sha256)).toBe(true);
    expect(await count(lv, 'SELECT COUNT(*) AS n FROM hunt_sample_chunks', [])).toBe(0);
  }, 60_000);
});

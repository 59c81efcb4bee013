/**
 * Malware samples on findings, against a real server over real HTTP (issue 18, item 4): the hashes are
 * those of the exact bytes sent (checked with node:crypto), the stored ZIP opens with `unzip -P infected`
 * and with Python's zipfile and holds exactly those bytes (and does not open without the password), the
 * download is an attachment that no browser renders, every download is in the audit trail, the 64 MB
 * limit refuses a larger file with a clear error and keeps nothing, a retry with the same
 * Idempotency-Key stores nothing twice, a new sample reaches live exactly the teams that see its finding,
 * and deleting a finding deletes its samples.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { startHuntroom } from '@huntroom/server';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { startPostgresTestServer, TEST_DATABASE_URL } from '../helpers/foundation.js';
import type { ApiClient } from '../helpers/http.js';
import { connect, eventually, login, type Client } from './indicators-helpers.js';
import { call, huntCommand, makeFinding, samplesPath, streamUpload, upload } from './samples-helpers.js';

const run = promisify(execFile);
const hash = (algo: string, b: Uint8Array) => createHash(algo).update(b).digest('hex');

/** SQLite always; PostgreSQL too when TEST_DATABASE_URL is set (chunks are BYTEA there, BLOB here). */
const BACKENDS: { name: string; start: () => Promise<TestServer> }[] = [{ name: 'SQLite', start: () => startTestServer() }];
if (TEST_DATABASE_URL) BACKENDS.push({ name: 'PostgreSQL', start: startPostgresTestServer });
else console.warn('hunt-samples.test.ts: TEST_DATABASE_URL is not set, so the PostgreSQL run is SKIPPED (SQLite only)');

describe.each(BACKENDS)('malware samples on $name: upload, storage, download', ({ start }) => {
  let server: TestServer;
  let ws: string;
  let alice: ApiClient;
  let ben: ApiClient;
  let liga: ApiClient;
  let open: string;
  let usOnly: string;
  let scratch: string;
  const count = async (sql: string) => Number(((await server.ctx.db.get<{ n: number }>(sql)) ?? { n: -1 }).n);

  beforeAll(async () => {
    server = await start();
    ws = server.demo!.workspaceId;
    alice = await login(server.url, 'alice');
    ben = await login(server.url, 'ben');
    liga = await login(server.url, 'liga');
    open = await makeFinding(server.url, alice, ws, { tlp: 'GREEN' }, 'Cobalt Strike beacon');
    usOnly = await makeFinding(server.url, alice, ws, { tlp: 'AMBER', releasableTo: ['US'] }, 'US-only implant');
    scratch = mkdtempSync(join(tmpdir(), 'huntroom-sample-check-'));
  }, 60_000);
  afterAll(async () => {
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('answers the hashes of the exact bytes, offers them as indicators with the finding marking, and stores only a ZIP that opens with "infected"', async () => {
    // A PE-like header and random bytes: nothing in it compresses away or could be mistaken for text.
    const bytes = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00'), randomBytes(300_000)]);
    const res = await upload(server.url, ben, ws, open, bytes, { name: '../../etc/evil:dropper*.exe' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ md5: hash('md5', bytes), sha1: hash('sha1', bytes), sha256: hash('sha256', bytes), size: bytes.length, findingId: open });
    // The name keeps its base part only, without characters Windows refuses: it is the name inside the ZIP.
    expect(res.body.filename).toBe('evil_dropper_.exe');
    expect(res.body.suggestedIndicators).toEqual(
      (['md5', 'sha1', 'sha256'] as const).map((type) => ({ type, value: hash(type, bytes), tlp: 'GREEN', releasableTo: [], source: 'malware sample evil_dropper_.exe' })),
    );
    // The suggestion is a valid item of the indicator bulk route as it stands.
    const committed = await ben.post(`/api/workspaces/${ws}/indicators/bulk`, { items: res.body.suggestedIndicators });
    expect(committed.status).toBe(201);

    const zip = await call(server.url, ben, 'GET', `${samplesPath(ws, open)}/${res.body.id}`);
    expect(zip.status).toBe(200);
    expect(zip.headers.get('content-type')).toBe('application/zip');
    expect(zip.headers.get('content-disposition')).toBe(`attachment; filename="${hash('sha256', bytes)}.zip"`);
    expect(zip.headers.get('x-content-type-options')).toBe('nosniff');
    expect(zip.headers.get('cache-control')).toBe('no-store');
    expect(Number(zip.headers.get('content-length'))).toBe(zip.bytes.length);
    expect(zip.bytes.subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');
    // The raw sample is nowhere in what was sent.
    expect(zip.bytes.includes(bytes.subarray(8, 72))).toBe(false);

    const file = join(scratch, 'a.zip');
    writeFileSync(file, zip.bytes);
    const listed = await run('unzip', ['-Z', '-v', file]);
    expect(listed.stdout).toMatch(/file security status:\s+encrypted/);
    const out = await run('unzip', ['-P', 'infected', '-p', file, 'evil_dropper_.exe'], { encoding: 'buffer', maxBuffer: 10_000_000 });
    expect(Buffer.compare(out.stdout, bytes)).toBe(0);
    const py = await run('python3', [
      '-c',
      'import sys,zipfile,hashlib; z=zipfile.ZipFile(sys.argv[1]); print(hashlib.sha256(z.read(z.namelist()[0], pwd=b"infected")).hexdigest(), z.namelist()[0], z.infolist()[0].flag_bits & 1)',
      file,
    ]);
    expect(py.stdout.trim()).toBe(`${hash('sha256', bytes)} evil_dropper_.exe 1`);
    await expect(run('unzip', ['-P', 'not-the-password', '-p', file])).rejects.toThrow();

    // Nothing of the upload is left on disk: the temporary files are gone.
    const tmp = join(server.dataDir, 'tmp', 'samples');
    expect(existsSync(tmp) ? readdirSync(tmp) : []).toEqual([]);
  });

  it('a raw file a crash left in the spool directory is deleted when the node starts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'huntroom-spool-'));
    const spool = join(dataDir, 'tmp', 'samples');
    mkdirSync(spool, { recursive: true });
    writeFileSync(join(spool, 'left-by-a-crash.upload'), 'MZ raw sample bytes');
    const node = await startHuntroom({ env: { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', HUNTROOM_DEMO: 'off' } });
    try {
      expect(existsSync(join(spool, 'left-by-a-crash.upload'))).toBe(false);
    } finally {
      await node.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('writes every download to the audit trail, with who and which team', async () => {
    const up = await upload(server.url, alice, ws, open, randomBytes(1000), { name: 'dl.bin' });
    expect(up.status).toBe(201);
    expect((await call(server.url, liga, 'GET', `${samplesPath(ws, open)}/${up.body.id}`)).status).toBe(200);
    expect((await call(server.url, liga, 'GET', `${samplesPath(ws, open)}/${up.body.id}`)).status).toBe(200);
    const trail = (await alice.get(`/api/workspaces/${ws}/audit`)).body.entries as { action: string; actorUsername: string; teamCode: string; detail: { id?: string } }[];
    const downloads = trail.filter((e) => e.action === 'hunt.sample.downloaded' && e.detail.id === up.body.id);
    expect(downloads.map((e) => [e.actorUsername, e.teamCode])).toEqual([
      ['liga', 'LV'],
      ['liga', 'LV'],
    ]);
    expect(trail.some((e) => e.action === 'hunt.sample.uploaded' && e.detail.id === up.body.id && e.actorUsername === 'alice')).toBe(true);
  });

  it('refuses a file over 64 MB with a clear error, as it streams (no Content-Length), and keeps nothing', async () => {
    const samples = await count('SELECT COUNT(*) AS n FROM hunt_samples');
    const chunks = await count('SELECT COUNT(*) AS n FROM hunt_sample_chunks');
    const res = await streamUpload(server.url, alice, ws, open, 64 * 1024 * 1024 + 1);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error).toMatchObject({ code: 'payload_too_large', message: expect.stringContaining('larger than 67108864 bytes (64 MB); nothing was kept') });
    expect(await count('SELECT COUNT(*) AS n FROM hunt_samples')).toBe(samples);
    expect(await count('SELECT COUNT(*) AS n FROM hunt_sample_chunks')).toBe(chunks);
    const tmp = join(server.dataDir, 'tmp', 'samples');
    await eventually(() => expect(existsSync(tmp) ? readdirSync(tmp) : []).toEqual([]));
    // The server runs in this process: no descriptor is left open on the removed partial file.
    const openInSpool = () =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`).startsWith(tmp);
        } catch {
          return false;
        }
      });
    await eventually(() => expect(openInSpool()).toEqual([]));
  }, 60_000);

  it('takes a file of exactly 64 MB', async () => {
    const res = await streamUpload(server.url, alice, ws, open, 64 * 1024 * 1024);
    expect(res.status).toBe(201);
    expect(JSON.parse(res.body)).toMatchObject({ size: 64 * 1024 * 1024, sha256: hash('sha256', Buffer.alloc(64 * 1024 * 1024, 0x41)) });
  }, 120_000);

  it('refuses a declared Content-Length over the limit before reading, and bad forms with their reason', async () => {
    const big = await fetch(server.url + samplesPath(ws, open), {
      method: 'POST',
      headers: { cookie: alice.cookie!, 'x-csrf-token': alice.csrfToken!, 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(70 * 1024 * 1024) },
      body: 'x',
      duplex: 'half',
    } as RequestInit).catch(() => undefined);
    // Either the 413 came back or the client gave up on its own lie; the server must not have kept anything.
    if (big) expect(big.status).toBe(413);
    const wrongField = await upload(server.url, alice, ws, open, randomBytes(10), { field: 'sample' });
    expect(wrongField.status).toBe(400);
    expect(wrongField.body.error.message).toMatch(/field `file`/);
    const empty = await upload(server.url, alice, ws, open, new Uint8Array(0));
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/the file is empty/);
    const json = await alice.post(samplesPath(ws, open), { file: 'TVqQAAMAAAAEAAAA' });
    expect(json.status).toBe(400);
    expect(json.body.error.message).toMatch(/multipart\/form-data/);
  });

  it('a retry with the same Idempotency-Key answers the first upload and stores nothing twice', async () => {
    const bytes = randomBytes(5000);
    const key = `retry-${Date.now()}`;
    const first = await upload(server.url, ben, ws, open, bytes, { headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    const chunks = await count('SELECT COUNT(*) AS n FROM hunt_sample_chunks');
    const again = await upload(server.url, ben, ws, open, bytes, { headers: { 'idempotency-key': key } });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(await count('SELECT COUNT(*) AS n FROM hunt_sample_chunks')).toBe(chunks);
    const list = await call(server.url, ben, 'GET', samplesPath(ws, open));
    expect(list.body.items.filter((s: { sha256: string }) => s.sha256 === hash('sha256', bytes))).toHaveLength(1);
  });

  it('a new sample reaches live the teams that see its finding, and no other; catch-up after a narrowing hands it to nobody who lost sight', async () => {
    const us: Client = await connect(server.url, alice, ws);
    const ca: Client = await connect(server.url, ben, ws);
    const sampleEvent = (c: Client, id: string) => c.events.some((e) => e.type === 'sample:created' && (e.payload as { sample: { id: string } }).sample.id === id);
    try {
      const visible = await upload(server.url, alice, ws, open, randomBytes(100), { name: 'live-open.bin' });
      const hidden = await upload(server.url, alice, ws, usOnly, randomBytes(100), { name: 'live-hidden.bin' });
      expect([visible.status, hidden.status]).toEqual([201, 201]);
      await eventually(() => expect(sampleEvent(ca, visible.body.id)).toBe(true));
      await eventually(() => expect(sampleEvent(us, hidden.body.id)).toBe(true));
      // Once CA has the later event of the two, it would have had the hidden one too: it did not.
      expect(sampleEvent(ca, hidden.body.id)).toBe(false);
      expect(ca.raw.join('')).not.toContain(hidden.body.sha256);
      expect(ca.raw.join('')).not.toContain('live-hidden.bin');

      // The open finding is narrowed to the US: CA's catch-up from the start no longer holds its sample.
      const narrowed = await makeFinding(server.url, alice, ws, { tlp: 'GREEN' }, 'narrowed later');
      const later = await upload(server.url, alice, ws, narrowed, randomBytes(100), { name: 'narrowed-later.bin' });
      await eventually(() => expect(sampleEvent(ca, later.body.id)).toBe(true));
      await huntCommand(server.url, alice, ws, 'finding:update', { id: narrowed, tlp: 'AMBER', releasableTo: ['US'] });
      const sync = await ca.socket.emitWithAck('sync', { workspaceId: ws, sinceSeq: 0 });
      expect(sync.ok).toBe(true);
      const caught = JSON.stringify(sync.data);
      expect(caught).not.toContain(later.body.id);
      expect(caught).not.toContain('narrowed-later.bin');
      expect(caught).not.toContain(hidden.body.sha256);
      expect(caught).toContain(visible.body.sha256);
    } finally {
      us.close();
      ca.close();
    }
  });

  it('deleting a sample (uploader team or owner) and deleting its finding remove the stored ZIP', async () => {
    const finding = await makeFinding(server.url, alice, ws, { tlp: 'GREEN' }, 'to be deleted');
    const a = await upload(server.url, ben, ws, finding, randomBytes(2000));
    const b = await upload(server.url, ben, ws, finding, randomBytes(2000));
    // liga (LV hunter) sees it but did not upload it and is not an owner.
    expect((await call(server.url, liga, 'DELETE', `${samplesPath(ws, finding)}/${a.body.id}`)).status).toBe(403);
    expect((await call(server.url, ben, 'DELETE', `${samplesPath(ws, finding)}/${a.body.id}`)).status).toBe(200);
    expect((await call(server.url, ben, 'GET', `${samplesPath(ws, finding)}/${a.body.id}`)).status).toBe(404);
    expect(await count(`SELECT COUNT(*) AS n FROM hunt_sample_chunks WHERE sample_id = '${a.body.id}'`)).toBe(0);
    await huntCommand(server.url, alice, ws, 'finding:delete', { id: finding });
    expect(await count(`SELECT COUNT(*) AS n FROM hunt_samples WHERE id = '${b.body.id}'`)).toBe(0);
    expect(await count(`SELECT COUNT(*) AS n FROM hunt_sample_chunks WHERE sample_id = '${b.body.id}'`)).toBe(0);
  });
});

/**
 * POST /api/workspaces/:id/indicators/import against a real node (real SQLite, real HTTP, real
 * socket.io): every format as JSON and as a multipart upload, `auto`, a dry run that saves nothing,
 * rows judged one by one, merged on re-import, the user's exclusions, malformed files, the time
 * budget of the worker pool, the progress stream, and another member seeing the import live.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorkspace } from '../helpers/foundation.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { ApiClient } from '../helpers/http.js';
import { connect, eventually, login } from './indicators-helpers.js';
import { boardOf, fixtureText, IMPORT_BACKENDS, importForm, importJson, importStream, startWithAliceAndBen, workspaceWithBen } from './import-helpers.js';

// On PostgreSQL too: the dry run reads outside a transaction there as well.
describe.each(IMPORT_BACKENDS)('indicator import route on $name', ({ start }) => {
  let server: TestServer;
  let alice: ApiClient;
  let ben: ApiClient;

  beforeAll(async () => {
    ({ server, alice, ben } = await startWithAliceAndBen(start));
  });
  afterAll(() => server.stop());

  const workspace = () => workspaceWithBen(alice);

  it('free text as JSON: extracted, saved, and merged (never a second row) when imported again', async () => {
    const ws = await workspace();
    const content = 'Beacon to evil-c2.badhost.top (203.0.113.77 is a doc range) and hxxp://drop[.]badsite-import.org/a.exe\nhash 44d88612fea8a8f36de82e1278abb02f';
    const first = await importJson(alice, ws, { format: 'text', content });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ created: 3, merged: 0, rejected: [], format: 'text', dryRun: false });
    // The documentation address is probably benign: a script gets what the dialog ticks by default.
    expect(first.body.skipped).toEqual([{ value: '203.0.113.77', reason: expect.stringMatching(/^probably benign: /) }]);
    const board = await boardOf(alice, ws);
    expect([...board.keys()].sort()).toEqual(['44d88612fea8a8f36de82e1278abb02f', 'evil-c2.badhost.top', 'http://drop.badsite-import.org/a.exe']);
    expect(board.get('evil-c2.badhost.top')).toMatchObject({ type: 'hostname', tlp: 'AMBER', status: 'new' });

    const again = await importJson(ben, ws, { format: 'text', content, keepBenign: true });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ created: 1, merged: 3, rejected: [], skipped: [] });
    const after = await boardOf(alice, ws);
    expect(after.size).toBe(4);
    expect(after.get('evil-c2.badhost.top').sightingCount).toBe(1);
  });

  it('CSV as a multipart upload: each row judged alone, a bad tag and an unknown team refused for their row only', async () => {
    const ws = await workspace();
    const csv = [
      'value,type,tlp,releasable_to,tags',
      'good-one.badhost.top,domain,RED,CA,apt',
      'bad-tag.badhost.top,domain,GREEN,,"ok;bad\u0007tag"',
      'unknown-team.badhost.top,domain,AMBER,ZZ,',
      '198.51.100.300,ip-dst,GREEN,,',
      'good-two.badhost.top,domain,,,',
    ].join('\r\n');
    const res = await importForm(
      alice,
      ws,
      { name: 'list.csv', content: csv },
      { format: 'csv', defaults: JSON.stringify({ marking: { tlp: 'GREEN' }, status: 'investigating' }) },
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ created: 2, merged: 0, skipped: [], format: 'csv' });
    const reasons = Object.fromEntries((res.body.rejected as { value: string; reason: string }[]).map((r) => [r.value, r.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['198.51.100.300', 'bad-tag.badhost.top', 'unknown-team.badhost.top']);
    expect(reasons['bad-tag.badhost.top']).toMatch(/"bad.tag": .*control characters/);
    expect(reasons['unknown-team.badhost.top']).toMatch(/ZZ/);
    const board = await boardOf(alice, ws);
    expect([...board.keys()].sort()).toEqual(['good-one.badhost.top', 'good-two.badhost.top']);
    // The row's own TLP and teams win; the defaults fill what the row leaves empty.
    expect(board.get('good-one.badhost.top')).toMatchObject({ tlp: 'RED', tags: ['apt'], status: 'investigating' });
    expect(board.get('good-one.badhost.top').releasableTo).toContain('CA');
    expect(board.get('good-two.badhost.top')).toMatchObject({ tlp: 'GREEN', status: 'investigating' });
  });

  it('a real STIX bundle (OASIS example) as JSON, and a real MISP event as a multipart upload read by `auto`', async () => {
    const ws = await workspace();
    const stix = await importJson(alice, ws, { format: 'stix', content: fixtureText('stix', 'oasis-indicator-for-malicious-url.json') });
    expect(stix.status).toBe(201);
    expect(stix.body).toMatchObject({ created: 1, merged: 0, rejected: [], format: 'stix' });
    expect((await boardOf(alice, ws)).get('http://x4z9arb.cn/4712/')).toMatchObject({ type: 'url' });

    // PyMISP's Ursnif event (bare form): the file name decides nothing, the content is recognized as MISP.
    const misp = await importForm(alice, ws, { name: 'sighting_1.json', content: fixtureText('misp', 'sighting_1.json') }, { format: 'auto' });
    expect(misp.status).toBe(201);
    expect(misp.body.format).toBe('misp');
    expect(misp.body.created).toBeGreaterThan(0);
    // The false-positive sighting's attribute is left out by default, as the dialog leaves it unticked.
    expect(misp.body.skipped.some((s: { reason: string }) => /false positive/.test(s.reason))).toBe(true);
    expect((await boardOf(alice, ws)).size).toBe(1 + misp.body.created);
  });

  it("a file's own sightings are saved on the indicator and counted apart, never as merged rows", async () => {
    const ws = await workspace();
    const content = fixtureText('stix', 'oasis-sighting-of-an-indicator.json');
    const dry = await importJson(alice, ws, { format: 'stix', content, dryRun: true });
    expect(dry.body).toMatchObject({ created: 1, merged: 0, sightings: 1, rejected: [] });
    const res = await importJson(alice, ws, { format: 'stix', content });
    expect(res.body).toMatchObject({ created: 1, merged: 0, sightings: 1, rejected: [] });
    expect((await boardOf(alice, ws)).get('http://paypa1.banking.com/')).toMatchObject({ sightingCount: 1 });
    const again = await importJson(alice, ws, { format: 'stix', content });
    // Re-imported: the value merges, and the sighting the indicator already holds is not recorded again.
    expect(again.body).toMatchObject({ created: 0, merged: 1, sightings: 0 });
    expect((await boardOf(alice, ws)).get('http://paypa1.banking.com/')).toMatchObject({ sightingCount: 1 });
  });

  it('every format answers the same as JSON and as a multipart upload', async () => {
    const stixBundle = {
      type: 'bundle',
      id: 'bundle--9d1c5a3e-8c0f-4c55-9b8e-3f1f0f0e0a01',
      objects: [
        {
          type: 'indicator',
          spec_version: '2.1',
          id: 'indicator--9d1c5a3e-8c0f-4c55-9b8e-3f1f0f0e0a02',
          created: '2024-01-01T00:00:00Z',
          modified: '2024-01-01T00:00:00Z',
          pattern: "[domain-name:value = 'both-ways-stix.top']",
          pattern_type: 'stix',
          valid_from: '2024-01-01T00:00:00Z',
        },
      ],
    };
    const inputs: [string, string, string, string][] = [
      ['text', 'notes.txt', 'seen both-ways-text.top twice', 'both-ways-text.top'],
      ['csv', 'list.csv', 'value,type\nboth-ways-csv.top,domain\n', 'both-ways-csv.top'],
      ['stix', 'bundle.json', JSON.stringify(stixBundle), 'both-ways-stix.top'],
      ['misp', 'event.json', JSON.stringify({ Event: { info: 'both ways', Attribute: [{ type: 'domain', value: 'both-ways-misp.top' }] } }), 'both-ways-misp.top'],
    ];
    for (const [format, name, content, value] of inputs) {
      const asJson = await importJson(alice, await workspace(), { format, content });
      const ws = await workspace();
      const asForm = await importForm(alice, ws, { name, content }, { format });
      expect(asJson.status, format).toBe(201);
      expect(asForm.status, format).toBe(201);
      expect(asJson.body, format).toMatchObject({ created: 1, merged: 0, rejected: [], skipped: [], format });
      expect(asForm.body, format).toEqual(asJson.body);
      expect((await boardOf(alice, ws)).has(value), format).toBe(true);
    }
  });

  it('MISP context attributes are skipped with their reason, not refused', async () => {
    const ws = await workspace();
    const event = {
      Event: {
        info: 'context and indicators',
        Attribute: [
          { type: 'domain', value: 'misp-route.badhost.top', to_ids: true },
          { type: 'link', value: 'https://blog.example/report', to_ids: false },
          { type: 'text', value: 'Wave seen in October', to_ids: false },
        ],
      },
    };
    const res = await importJson(alice, ws, { format: 'misp', content: JSON.stringify(event) });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ created: 1, rejected: [] });
    expect(res.body.skipped.map((s: { value: string }) => s.value).sort()).toEqual(['Wave seen in October', 'https://blog.example/report']);
    expect(res.body.skipped[0].reason).toMatch(/context, not an indicator/);
  });

  it('auto: a CSV recognized by its name, free text by its content', async () => {
    const ws = await workspace();
    const csv = await importForm(alice, ws, { name: 'feed.csv', content: 'indicator\nauto-csv.badhost.top\n' }, { format: 'auto' });
    expect(csv.status).toBe(201);
    expect(csv.body).toMatchObject({ format: 'csv', created: 1 });
    const text = await importJson(alice, ws, { format: 'auto', content: 'see auto-text.badhost.top for details' });
    expect(text.body).toMatchObject({ format: 'text', created: 1 });
  });

  it('a dry run answers what would happen and saves nothing; the import then does exactly that', async () => {
    const ws = await workspace();
    await importJson(alice, ws, { format: 'text', content: 'already-there.badhost.top' });
    const body = { format: 'text', content: 'already-there.badhost.top new-one.badhost.top 8.8.8.8', exclude: ['hostname|new-one.badhost.top'] };
    const dry = await importJson(alice, ws, { ...body, dryRun: true, keepBenign: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ created: 1, merged: 1, dryRun: true });
    expect(dry.body.skipped).toEqual([{ value: 'new-one.badhost.top', reason: 'left out by the user' }]);
    const board = await boardOf(alice, ws);
    expect([...board.keys()]).toEqual(['already-there.badhost.top']);
    expect(board.get('already-there.badhost.top').sightingCount).toBe(0);
    const events = (await alice.get(`/api/workspaces/${ws}/events?since=0`)).body;

    const real = await importJson(alice, ws, { ...body, keepBenign: true });
    expect(real.body).toMatchObject({ created: dry.body.created, merged: dry.body.merged, skipped: dry.body.skipped, dryRun: false });
    // Excluded stays out; the benign address was kept because the caller asked.
    expect([...(await boardOf(alice, ws)).keys()].sort()).toEqual(['8.8.8.8', 'already-there.badhost.top']);
    // The dry run wrote no event either.
    expect(JSON.stringify(events)).not.toContain('8.8.8.8');
  });

  it('malformed content is a clear 400 and saves nothing', async () => {
    const ws = await workspace();
    const cases: [unknown, RegExp][] = [
      [{ format: 'stix', content: '{"type": "bundle", "objects": [' }, /STIX: the file is not valid JSON/],
      [{ format: 'misp', content: '[1, 2]' }, /MISP: expected/],
      [{ format: 'csv', content: 'value,type\n"never closed,domain\nx.badhost.top,domain' }, /quoted field .* never closed/],
      [{ format: 'stix', content: '{"type": "not-a-bundle"}' }, /STIX: expected a bundle/],
      [{ format: 'yaml', content: 'x' }, /format/],
      [{ format: 'text' }, /content/],
      [{ format: 'text', content: 'a.badhost.top', unknown: 1 }, /unknown|Unrecognized/i],
      [{ format: 'text', content: 'a.badhost.top', exclude: 'domain|a.badhost.top' }, /exclude/],
    ];
    for (const [body, message] of cases) {
      const res = await importJson(alice, ws, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message, JSON.stringify(body)).toMatch(message);
    }
    const notJson = await alice.request('POST', `/api/workspaces/${ws}/indicators/import`, '{"format": "text", "content": ');
    expect(notJson.status).toBe(400);
    const wrongType = await alice.request('POST', `/api/workspaces/${ws}/indicators/import`, 'format=text', { 'content-type': 'text/plain' });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.message).toMatch(/multipart\/form-data/);
    const noFile = await importForm(alice, ws, { name: 'x.txt', content: 'x' }, { format: 'text', dryRun: 'maybe' });
    expect(noFile.status).toBe(400);
    expect((await boardOf(alice, ws)).size).toBe(0);
  });

  it('streams progress lines then one result line when asked for NDJSON; the parse of a large paste runs in the pool', async () => {
    const ws = await workspace();
    // About 600 KB of text: over the inline limit, so it is read by a worker thread that reports as it goes.
    const lines = Array.from({ length: 12_000 }, (_, i) => `seen host-${i}.stream-import.badhost.top at 10:0${i % 10} from the proxy logs`);
    const { status, type, lines: out } = await importStream(alice, ws, { format: 'text', content: lines.join('\n') });
    expect(status).toBe(200);
    expect(type).toMatch(/^application\/x-ndjson/);
    const last = out.at(-1)!;
    expect('result' in last && last.result).toMatchObject({ created: 12_000, merged: 0, rejected: [] });
    const progress = out.slice(0, -1).map((l) => ('progress' in l ? l.progress : undefined));
    expect(progress.every(Boolean)).toBe(true);
    const parse = progress.filter((p) => p!.phase === 'parse');
    const save = progress.filter((p) => p!.phase === 'save');
    expect(parse.length).toBeGreaterThan(1);
    expect(parse.at(-1)).toMatchObject({ done: parse.at(-1)!.total });
    // Batches of 2,000: a line before the first and one after each.
    expect(save.map((p) => p!.done)).toEqual([0, 2_000, 4_000, 6_000, 8_000, 10_000, 12_000]);
    expect(progress.indexOf(save[0])).toBeGreaterThan(progress.indexOf(parse.at(-1)));

    // An error after the stream began is its last line, with the status it would have had.
    const bad = await importStream(alice, ws, { format: 'stix', content: '{' });
    expect(bad.status).toBe(200);
    expect(bad.lines.at(-1)).toMatchObject({ error: { code: 'validation_failed', status: 400, message: expect.stringMatching(/STIX/) } });
    // The default answer for scripts stays one JSON document.
    const plain = await importJson(alice, ws, { format: 'text', content: 'plain-json.badhost.top' });
    expect(plain.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('refuses content with more distinct values than one import takes, in the worker, nothing saved', async () => {
    const ws = await workspace();
    const content = Array.from({ length: 200_001 }, (_, i) => `5.${i >> 16}.${(i >> 8) & 255}.${i & 255}`).join('\n');
    const res = await importJson(alice, ws, { format: 'text', content });
    expect(res.status).toBe(413);
    expect(res.body.error.message).toMatch(/holds 200001 distinct values; one import takes at most 200000: import it in parts/);
    expect((await boardOf(alice, ws)).size).toBe(0);
  });

  it('an Idempotency-Key makes a retried import save nothing twice', async () => {
    const ws = await workspace();
    const body = { format: 'text', content: 'retry-one.badhost.top retry-two.badhost.top' };
    const key = { 'idempotency-key': 'import-retry-0001' };
    const first = await importJson(alice, ws, body, key);
    const second = await importJson(alice, ws, body, key);
    expect(first.body).toMatchObject({ created: 2, merged: 0 });
    expect(second.body).toMatchObject({ created: 2, merged: 0 });
    const board = await boardOf(alice, ws);
    expect(board.size).toBe(2);
    expect(board.get('retry-one.badhost.top').sightingCount).toBe(0);
  });

  it('another member sees the imported indicators live on the record plane', async () => {
    const ws = await workspace();
    const watcher = await connect(server.url, ben, ws);
    try {
      const res = await importJson(alice, ws, { format: 'text', content: 'live-one.badhost.top live-two.badhost.top' });
      expect(res.status).toBe(201);
      await eventually(() => {
        const created = watcher.events.filter((e) => e.type === 'indicator:created').map((e) => (e.payload as { indicator: { value: string } }).indicator.value);
        expect(created.sort()).toEqual(['live-one.badhost.top', 'live-two.badhost.top']);
      });
    } finally {
      watcher.close();
    }
  });
});

describe('indicator import time budget', () => {
  let server: TestServer;
  let alice: ApiClient;
  beforeAll(async () => {
    // A budget no real parse of 8 MB can meet: the job is stopped through the pool's AbortSignal.
    server = await startTestServer({ IMPORT_TIME_BUDGET_MS: '30' });
    alice = await login(server.url, 'alice');
  });
  afterAll(() => server.stop());

  it('a parse over the budget is stopped and reported, nothing saved, and the node keeps serving', async () => {
    const ws = await makeWorkspace(alice);
    const content = Array.from({ length: 160_000 }, (_, i) => `line ${i}: budget-${i}.slow-import.badhost.top contacted 198.51.${i % 250}.${i % 200} ok`).join('\n');
    expect(content.length).toBeGreaterThan(8_000_000);
    const started = Date.now();
    const res = await importJson(alice, ws, { format: 'text', content });
    expect(res.status).toBe(413);
    expect(res.body.error.message).toMatch(/took longer than the 30 ms one import may take.*nothing was saved/);
    // Stopped near the budget, not after the whole parse.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await boardOf(alice, ws)).size).toBe(0);
    // A small import still goes through (inline, no budget needed), and so does the next pooled one.
    expect((await importJson(alice, ws, { format: 'text', content: 'after-budget.badhost.top' })).status).toBe(201);
  });
});

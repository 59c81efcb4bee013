/**
 * CSV import as a user does it: the file read by the shared importer (the code the browser's import
 * worker runs), the ticked candidates committed over socket.io with `indicator:bulkCreate` as the
 * import dialog sends them. Huntroom's own CSV export imports back into a fresh workspace with its
 * values, types, markings, releasability, statuses, confidence, tags, techniques and sources; a row's
 * TLP wins over the workspace default; a comment column becomes the indicator's first comment.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { candidateToItem, importCsv, type Candidate, type TlpLevel } from '@huntroom/shared';
import { makeWorkspace } from '../helpers/foundation.js';
import { connect, startTwoTeams, type TwoTeams } from './indicators-helpers.js';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../../fixtures/interop/csv/${name}`, import.meta.url)), 'utf8');

/** What ImportDialog's commit sends for a candidate: the shared mapping it uses. */
const asItem = (c: Candidate, defaultTlp: TlpLevel = 'GREEN') => candidateToItem(c, defaultTlp);

describe('CSV import through the import path', () => {
  let t: TwoTeams;
  beforeAll(async () => {
    t = await startTwoTeams();
  });
  afterAll(() => t.stop());

  it("Huntroom's CSV export imports back into a fresh workspace without loss", async () => {
    const src = await makeWorkspace(t.alice.api, 'csv-round-trip-src');
    const alice = await connect(t.server.url, t.alice.api, src);
    const sent = [
      {
        type: 'domain',
        value: 'rt-red.example.net',
        tlp: 'RED',
        status: 'confirmed',
        confidence: 90,
        tags: ['apt x', 'say "hi"'],
        techniques: ['T1566.001', 'T1059'],
        source: 'vendor, report',
      },
      { type: 'ip-dst', value: '91.214.124.20', tlp: 'AMBER', releasableTo: ['CA', 'US'], status: 'investigating', confidence: 60 },
      { type: 'sha256', value: 'a'.repeat(64), tlp: 'AMBER+STRICT', status: 'new' },
      { type: 'url', value: 'http://rt-benign.example.net/?a=1,b=2', tlp: 'GREEN', status: 'benign', confidence: 10 },
      { type: 'filename', value: '-rf.sh', tlp: 'CLEAR', status: 'false-positive', confidence: 0 },
      { type: 'cidr', value: '223.166.0.0/15', tlp: 'GREEN', status: 'confirmed' },
      { type: 'filepath', value: 'C:\\Users\\Public\\svc.exe', tlp: 'GREEN', status: 'new' },
    ];
    const made = await alice.cmd('indicator:bulkCreate', { items: sent });
    expect(made).toMatchObject({ ok: true, data: { created: sent.length, rejected: [] } });
    const ids = new Map(((await t.alice.api.get(`/api/workspaces/${src}/indicators?limit=100`)).body.items as any[]).map((i) => [i.value, i.id]));
    // Comments: one as visible as its indicator travels; a RED one on a GREEN indicator stays out of the file.
    for (const [value, body, tlp] of [
      ['rt-red.example.net', '=HYPERLINK("x") looks like a formula', undefined],
      ['rt-red.example.net', 'second note', 'AMBER'],
      ['223.166.0.0/15', 'team-only detail', 'RED'],
    ] as const) {
      const ack = await alice.cmd('comment:add', { indicatorId: ids.get(value), body, ...(tlp ? { tlp } : {}) });
      expect(ack.ok).toBe(true);
    }

    const res = await fetch(`${t.server.url}/api/workspaces/${src}/export/csv?recipient=US`, { headers: { cookie: t.alice.api.cookie! } });
    expect(res.status).toBe(200);
    const csv = await res.text();
    // The export's guard against spreadsheet formulas is in the file...
    expect(csv).toContain("'-rf.sh");

    // ...and taken off again; the workspace default (GREEN) never replaces a row's marking.
    const back = importCsv(csv);
    expect(back.filter((c) => c.error)).toEqual([]);
    const dst = await makeWorkspace(t.alice.api, 'csv-round-trip-dst');
    const into = await connect(t.server.url, t.alice.api, dst);
    const ack = await into.cmd('indicator:bulkCreate', { items: back.map((c) => asItem(c)) });
    expect(ack).toMatchObject({ ok: true, data: { created: sent.length, rejected: [] } });
    const list = async (ws: string) => (await t.alice.api.get(`/api/workspaces/${ws}/indicators?limit=100`)).body.items as any[];
    const pick = (i: any) => ({
      type: i.type,
      value: i.value,
      tlp: i.tlp,
      releasableTo: [...(i.releasableTo ?? [])].sort(),
      status: i.status,
      confidence: i.confidence,
      tags: i.tags ?? [],
      techniques: [...(i.techniques ?? [])].sort(),
      source: i.source ?? '',
    });
    const sorted = (l: any[]) => l.map(pick).sort((a, b) => a.value.localeCompare(b.value));
    const had = await list(src);
    expect(had).toHaveLength(sent.length);
    expect(sorted(await list(dst))).toEqual(sorted(had));
    expect(sorted(had).find((i) => i.value === 'rt-red.example.net')).toMatchObject({ tlp: 'RED', tags: ['apt x', 'say "hi"'], source: 'vendor, report' });
    const commentsOf = async (ws: string, value: string) => {
      const id = (await list(ws)).find((i) => i.value === value).id;
      return ((await t.alice.api.get(`/api/workspaces/${ws}/indicators/${id}`)).body.comments as any[]).map((c) => [c.body, c.tlp]);
    };
    expect(await commentsOf(dst, 'rt-red.example.net')).toEqual([['=HYPERLINK("x") looks like a formula\n\nsecond note', 'RED']]);
    expect(await commentsOf(dst, '223.166.0.0/15')).toEqual([]);
    expect(await commentsOf(dst, '91.214.124.20')).toEqual([]);
    alice.close();
    into.close();
  });

  it('a practitioner list: per-row TLP over the default, releasable-to through the marking normalization, comments as first comments', async () => {
    const ws = await makeWorkspace(t.alice.api, 'csv-practitioner');
    const alice = await connect(t.server.url, t.alice.api, ws);
    const candidates = importCsv(fixture('practitioner-synonyms.csv'));
    // The dialog leaves refused rows (unknown TLP, bad technique, bad confidence) unticked and disabled.
    const items = candidates.filter((c) => !c.error).map((c) => asItem(c));
    expect(items).toHaveLength(4);
    // A team code no one has is refused for that row alone, never dropped (dropping would widen the list).
    items.push(asItem({ type: 'domain', value: 'unknown-team.example', original: '', count: 1, tlp: 'AMBER', releasableTo: ['ZZ'] }));
    const ack = await alice.cmd('indicator:bulkCreate', { items });
    if (!ack.ok) throw new Error(`bulkCreate refused: ${ack.error.message}`);
    expect(ack.data.created).toBe(4);
    expect(ack.data.rejected).toEqual([expect.objectContaining({ index: 4, reason: expect.stringMatching(/unknown team.*ZZ/) })]);

    const got = (await t.alice.api.get(`/api/workspaces/${ws}/indicators?limit=100`)).body.items as any[];
    const byValue = new Map(got.map((i) => [i.value, i]));
    expect(byValue.get('evil-update.example')).toMatchObject({ tlp: 'RED', tags: ['phishing', 'apt-x'], techniques: ['T1566.001'], confidence: 80 });
    expect(byValue.get('203.0.113.77')).toMatchObject({ tlp: 'AMBER', releasableTo: expect.arrayContaining(['US', 'CA']) });
    expect(byValue.get('http://defanged.example/path')).toMatchObject({ tlp: 'CLEAR' });

    const detail = (await t.alice.api.get(`/api/workspaces/${ws}/indicators/${byValue.get('evil-update.example').id}`)).body;
    // The first comment has the indicator's marking.
    expect(detail.comments).toEqual([expect.objectContaining({ body: 'Landing page, seen 2026-10-30', tlp: 'RED' })]);
    alice.close();
  });
});

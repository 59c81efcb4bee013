/**
 * MISP import as a user does it: the file read by the shared importer (the code the browser's import
 * worker runs), the ticked candidates committed over socket.io with `indicator:bulkCreate` as the
 * import dialog sends them. A bad tag or an over-long value refuses that row only; the rest is saved.
 * Huntroom's own MISP export imports back into a fresh workspace with its values, types, markings,
 * statuses and techniques.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { candidateToItem, importMisp, type Candidate, type TlpLevel } from '@huntroom/shared';
import { makeWorkspace } from '../helpers/foundation.js';
import { connect, startTwoTeams, type TwoTeams } from './indicators-helpers.js';
import { importJson } from './import-helpers.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(fileURLToPath(new URL(`../../fixtures/interop/misp/${name}`, import.meta.url)), 'utf8'));

/** What ImportDialog's commit sends for a candidate: the shared mapping it uses. */
const asItem = (c: Candidate, defaultTlp: TlpLevel = 'GREEN') => candidateToItem(c, defaultTlp);
/** The dialog's default selection: benign and invalid candidates unticked. */
const ticked = (cs: Candidate[]) => cs.filter((c) => !c.error && !c.benign);

describe('MISP import through the import path', () => {
  let t: TwoTeams;
  beforeAll(async () => {
    t = await startTwoTeams();
  });
  afterAll(() => t.stop());

  it('commits a restSearch file; one bad tag and one over-long value refuse only their rows', async () => {
    const candidates = importMisp(fixture('restsearch_two_events.json'));
    const items: Record<string, unknown>[] = ticked(candidates).map((c) => asItem(c));
    expect(items).toHaveLength(7); // 8 indicators, the empty file's MD5 unticked as probably benign
    // A client that does not run the importer's checks: one tag with a control character, one
    // value over the limit, in the middle of the batch.
    items.splice(2, 0, { type: 'domain', value: 'bad-tag.example.net', tags: ['ok', 'bad\u0007tag'] });
    items.splice(4, 0, { type: 'url', value: `http://long.example.net/${'a'.repeat(9_000)}` });
    const ack = await t.alice.cmd('indicator:bulkCreate', { items });
    if (!ack.ok) throw new Error(`bulkCreate refused: ${ack.error.message}`);
    expect(ack.data.created).toBe(7);
    expect(ack.data.rejected.map((r: { index: number }) => r.index)).toEqual([2, 4]);
    expect(ack.data.rejected[0].reason).toMatch(/tags\.1: .*control characters/);
    expect(ack.data.rejected[1].reason).toMatch(/value: .*8192/);

    const list = (await t.alice.api.get(`/api/workspaces/${t.ws}/indicators?limit=100`)).body.items as any[];
    const byValue = new Map(list.map((i) => [i.value, i]));
    expect(byValue.has('bad-tag.example.net')).toBe(false);
    expect(byValue.get('login-portal-update.example')).toMatchObject({ tlp: 'AMBER', tags: ['osint:source-type="blog-post"'], techniques: ['T1566.001'], status: 'new' });
    expect(byValue.get('http://login-portal-update.example/doc.php')).toMatchObject({ tlp: 'RED' });
    expect(byValue.get('c2.bad-actor.example')).toMatchObject({ tlp: 'GREEN', techniques: ['T1071.001'] });
    // Context in one event, for detection in the other: one row, not benign.
    expect(list.filter((i) => i.value === '91.214.124.11')).toMatchObject([{ status: 'new' }]);
    for (const skipped of ['https://blog.example/report', 'Wave seen in October', '48213', '0.87']) expect(byValue.has(skipped)).toBe(false);
  });

  it("Huntroom's MISP export imports back into a fresh workspace with values, types, markings, statuses and techniques", async () => {
    const src = await makeWorkspace(t.alice.api, 'misp-round-trip-src');
    const alice = await connect(t.server.url, t.alice.api, src);
    const sent = [
      { type: 'domain', value: 'rt-confirmed.example.net', tlp: 'AMBER', status: 'confirmed', tags: ['misp:type="domain"', 'apt'], techniques: ['T1566.001', 'T1059'] },
      { type: 'ip-dst', value: '91.214.124.20', tlp: 'RED', status: 'investigating' },
      { type: 'sha256', value: 'a'.repeat(64), tlp: 'CLEAR', status: 'new' },
      { type: 'url', value: 'http://rt-benign.example.net/', tlp: 'GREEN', status: 'benign' },
      { type: 'domain', value: 'rt-fp.example.net', tlp: 'AMBER+STRICT', status: 'false-positive' },
      // Types MISP has not: written as ip-dst and filename, read back as a range and a path.
      { type: 'cidr', value: '223.166.0.0/15', tlp: 'GREEN', status: 'confirmed' },
      { type: 'filepath', value: 'C:\\Users\\Public\\svc.exe', tlp: 'GREEN', status: 'new' },
    ];
    const made = await alice.cmd('indicator:bulkCreate', { items: sent });
    expect(made).toMatchObject({ ok: true, data: { created: sent.length, rejected: [] } });

    const res = await fetch(`${t.server.url}/api/workspaces/${src}/export/misp?recipient=US`, { headers: { cookie: t.alice.api.cookie! } });
    expect(res.status).toBe(200);
    const event = await res.json();
    const attrs = event.Event.Attribute as { value: string; to_ids: boolean; Tag: { name: string }[] }[];
    // to_ids from the status; the technique as MISP's cluster value when the name is known.
    expect(Object.fromEntries(attrs.map((a) => [a.value, a.to_ids]))).toMatchObject({
      'rt-confirmed.example.net': true,
      'http://rt-benign.example.net/': false,
      'rt-fp.example.net': false,
    });
    const galaxy = attrs
      .find((a) => a.value === 'rt-confirmed.example.net')!
      .Tag.map((x) => x.name)
      .filter((n) => n.startsWith('misp-galaxy:'));
    expect(galaxy).toContain('misp-galaxy:mitre-attack-pattern="Spearphishing Attachment - T1566.001"');

    // Imported as the dialog does, every candidate ticked (the benign ones too: the user chose them).
    const back = importMisp(event);
    expect(back.filter((c) => c.error)).toEqual([]);
    const dst = await makeWorkspace(t.alice.api, 'misp-round-trip-dst');
    const into = await connect(t.server.url, t.alice.api, dst);
    const ack = await into.cmd('indicator:bulkCreate', { items: back.map((c) => asItem(c)) });
    expect(ack).toMatchObject({ ok: true, data: { created: sent.length, rejected: [] } });
    const got = (await t.alice.api.get(`/api/workspaces/${dst}/indicators?limit=100`)).body.items as any[];
    const pick = (i: any) => ({ type: i.type, value: i.value, tlp: i.tlp, status: i.status, tags: i.tags ?? [], techniques: [...(i.techniques ?? [])].sort() });
    const had = (await t.alice.api.get(`/api/workspaces/${src}/indicators?limit=100`)).body.items as any[];
    const sorted = (l: any[]) => l.map(pick).sort((a, b) => a.value.localeCompare(b.value));
    expect(had).toHaveLength(sent.length);
    expect(sorted(got)).toEqual(sorted(had));
    alice.close();
    into.close();
  });

  it('through the import route, MISP distribution is never looser: "your organisation only" stays with the importing team, a sharing group too', async () => {
    const day = String(Math.floor(Date.parse('2024-03-01T12:00:00Z') / 1000));
    const event = {
      Event: {
        info: 'Distribution check',
        distribution: '3',
        Tag: [{ name: 'tlp:green' }],
        Attribute: [
          { type: 'domain', value: 'org-only.rt-c2-infra.net', to_ids: true, distribution: '0' },
          { type: 'domain', value: 'group.rt-c2-infra.net', to_ids: true, distribution: '4', SharingGroup: { name: 'EU CERTs' } },
          { type: 'domain', value: 'community.rt-c2-infra.net', to_ids: true, distribution: '1', Sighting: [{ type: '0', date_sighting: day, source: 'sensor 4' }] },
          { type: 'domain', value: 'everyone.rt-c2-infra.net', to_ids: true, distribution: '5' },
        ],
      },
    };
    const res = await importJson(t.alice.api, t.ws, { format: 'misp', content: JSON.stringify(event) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ created: 4, rejected: [] });
    const mine = new Map(((await t.alice.api.get(`/api/workspaces/${t.ws}/indicators?limit=500`)).body.items as any[]).map((i) => [i.value, i]));
    expect(mine.get('org-only.rt-c2-infra.net')).toMatchObject({ tlp: 'AMBER+STRICT', releasableTo: [] });
    expect(mine.get('group.rt-c2-infra.net')).toMatchObject({ tlp: 'AMBER+STRICT', tags: ['misp:sharing-group="EU CERTs"'] });
    expect(mine.get('community.rt-c2-infra.net')).toMatchObject({ tlp: 'AMBER', sightingCount: 1, lastSeen: '2024-03-01T12:00:00.000Z' });
    expect(mine.get('everyone.rt-c2-infra.net')).toMatchObject({ tlp: 'GREEN' });
    // Another team's member: the organisation-only and sharing-group rows are not there at all.
    const bens = ((await t.ben.api.get(`/api/workspaces/${t.ws}/indicators?limit=500`)).body.items as any[]).map((i) => i.value);
    expect(bens).not.toContain('org-only.rt-c2-infra.net');
    expect(bens).not.toContain('group.rt-c2-infra.net');
    expect(bens).toEqual(expect.arrayContaining(['community.rt-c2-infra.net', 'everyone.rt-c2-infra.net']));
  });

  it("through the import route, ESET's event (to_ids off everywhere): skipped unless kept; kept, the backdoor's SHA-1 is new and tagged, never benign, and exports to_ids false", async () => {
    const ws = await makeWorkspace(t.alice.api, 'misp-to-ids-off');
    const content = JSON.stringify(fixture('eset-sshdoor-coruscant.json'));
    const sha1 = '2d767d0ede311cf3a853e90d18f50ae102358590';
    // A script gets what the dialog ticks by default: nothing of this event.
    const plain = await importJson(t.alice.api, ws, { format: 'misp', content, dryRun: true });
    expect(plain.status, JSON.stringify(plain.body)).toBe(200);
    expect(plain.body.skipped).toEqual(expect.arrayContaining([{ value: sha1, reason: expect.stringMatching(/^probably benign: MISP to_ids is off/) }]));
    const kept = await importJson(t.alice.api, ws, { format: 'misp', content, keepBenign: true });
    expect(kept.status, JSON.stringify(kept.body)).toBe(201);
    expect(kept.body).toMatchObject({ created: 4, rejected: [] });
    const items = (await t.alice.api.get(`/api/workspaces/${ws}/indicators?limit=100`)).body.items as any[];
    expect(items.filter((i) => i.status === 'benign')).toEqual([]);
    expect(items.find((i) => i.value === sha1)).toMatchObject({ type: 'sha1', status: 'new', tags: ['SSHDoor', 'misp:to_ids="false"'] });
    const exported = await fetch(`${t.server.url}/api/workspaces/${ws}/export/misp?recipient=US`, { headers: { cookie: t.alice.api.cookie! } });
    expect(exported.status).toBe(200);
    const attrs = (JSON.parse(await exported.text()) as { Event: { Attribute: any[] } }).Event.Attribute.filter((a) => a.value === sha1);
    expect(attrs).toMatchObject([{ type: 'sha1', to_ids: false }]);
  });
});

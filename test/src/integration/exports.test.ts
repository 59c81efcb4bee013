/**
 * Exports and handoff packages: for every format and every recipient team, the file holds exactly the
 * items releasable to that team AND visible to the caller's own team (each item carries a unique value,
 * searched for in the raw bytes, and inside every file of the ZIP), also when the caller is an owner of
 * another team than the items' (issue 15); the counts agree; only owners export for another team; each export is audited; the
 * STIX bundle references the standard TLP marking definitions and imports back with its markings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { unzipSync, strFromU8 } from 'fflate';
import { canSee, defang, importMisp, importStix, NOTE_FRAGMENT, type MarkedItem, type TlpLevel } from '@huntroom/shared';
import { stixSchemaErrors } from '../helpers/stixSchema.js';
import { loginAs, type ApiClient } from '../helpers/http.js';
import { connect, startCollabServer, synced } from '../helpers/yjs.js';
import type { TestServer } from '../helpers/server.js';

const FORMATS = ['stix', 'misp', 'csv', 'layer', 'report.md', 'report.html', 'package.zip'] as const;
const TEAMS = ['US', 'CA', 'LV'] as const;

interface Secret {
  /** A value unique to this item, searched for in every export. */
  needle: string;
  /** Who may see it, by team id. */
  marked: MarkedItem;
  /** Formats in which this kind of item appears at all. */
  in: readonly (typeof FORMATS)[number][];
}

describe('exports: every format holds exactly what the recipient may see', () => {
  let server: TestServer;
  let alice: ApiClient;
  let ben: ApiClient;
  let ws: string;
  let teamId: Record<string, string>;
  const secrets: Secret[] = [];

  async function download(who: ApiClient, format: string, recipient?: string): Promise<{ status: number; bytes: Buffer; type: string | null; disposition: string | null }> {
    const res = await fetch(`${server.url}/api/workspaces/${ws}/export/${format}${recipient ? `?recipient=${recipient}` : ''}`, { headers: { cookie: who.cookie! } });
    return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition') };
  }
  /** The export's text, every file of a ZIP joined. */
  const textOf = (format: string, bytes: Buffer) =>
    format === 'package.zip'
      ? Object.values(unzipSync(bytes))
          .map((f) => strFromU8(f))
          .join('\n')
      : bytes.toString('utf8');

  beforeAll(async () => {
    server = await startCollabServer();
    [alice, ben] = await Promise.all([loginAs(server.url, 'alice'), loginAs(server.url, 'ben')]);
    ws = server.demo!.workspaceId;
    teamId = Object.fromEntries(((await alice.get('/api/teams')).body.teams as { id: string; code: string }[]).map((t) => [t.code, t.id]));

    const indicators: [ApiClient, string, TlpLevel, string[]][] = [
      [alice, 'us-clear', 'CLEAR', []],
      [alice, 'us-amber-ca', 'AMBER', ['CA']],
      [alice, 'us-strict', 'AMBER+STRICT', []],
      [alice, 'us-red-lv', 'RED', ['LV']],
      [ben, 'ca-green', 'GREEN', []],
      [ben, 'ca-strict', 'AMBER+STRICT', []],
    ];
    for (const [who, name, tlp, rel] of indicators) {
      const value = `${name}.leak-matrix.example.org`;
      const res = await who.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value, tlp, releasableTo: rel, techniques: ['T1071.001'] });
      expect(res.status).toBe(201);
      const owner = who === alice ? 'US' : 'CA';
      secrets.push({
        needle: value,
        marked: { marking: { tlp, releasableTo: rel.map((c) => teamId[c]!) }, ownerTeamId: teamId[owner]! },
        in: ['stix', 'misp', 'csv', 'report.md', 'report.html', 'package.zip'],
      });
      if (name === 'us-clear') {
        const id = res.body.indicator?.id ?? res.body.id;
        expect((await alice.post(`/api/workspaces/${ws}/indicators/${id}/comments`, { body: 'COMMENT-US-STRICT-7731', tlp: 'AMBER+STRICT' })).status).toBe(201);
        expect((await ben.post(`/api/workspaces/${ws}/indicators/${id}/sightings`, { context: 'seen on CA proxy logs' })).status).toBe(201);
      }
    }

    // Notes with their text written through the document server, as an editor would.
    const notes: [string, TlpLevel, string[]][] = [
      ['NOTE-US-STRICT-4410', 'AMBER+STRICT', []],
      ['NOTE-US-FOR-CA-5520', 'AMBER', ['CA']],
      ['NOTE-ALL-6630', 'GREEN', []],
    ];
    for (const [text, tlp, rel] of notes) {
      const marking = { tlp, releasableTo: rel.map((c) => teamId[c]!) };
      const note = await alice.post(`/api/workspaces/${ws}/notes`, { title: `title ${text}`, marking });
      expect(note.status).toBe(201);
      const c = connect(server, note.body.id, alice);
      await synced(c);
      const p = new Y.XmlElement('paragraph');
      const t = new Y.XmlText();
      t.insert(0, text);
      p.insert(0, [t]);
      c.doc.getXmlFragment(NOTE_FRAGMENT).insert(0, [p]);
      await new Promise((r) => setTimeout(r, 100));
      c.destroy();
      secrets.push({ needle: text, marked: { marking, ownerTeamId: teamId.US! }, in: ['report.md', 'report.html', 'package.zip'] });
    }
    // The strict comment: only US may read it. STIX carries each comment as a note with its own marking
    // (the package holds the STIX bundle); CSV and MISP only comments no stricter than their indicator.
    secrets.push({ needle: 'COMMENT-US-STRICT-7731', marked: { marking: { tlp: 'AMBER+STRICT', releasableTo: [] }, ownerTeamId: teamId.US! }, in: ['stix', 'package.zip'] });
  });
  afterAll(() => server.stop());

  for (const format of FORMATS) {
    it(`${format}: for each recipient, every releasable item and nothing else`, async () => {
      for (const recipient of TEAMS) {
        const res = await download(alice, format, recipient);
        expect(res.status).toBe(200);
        expect(res.disposition).toMatch(/^attachment; filename="huntroom-/);
        const text = textOf(format, res.bytes);
        for (const s of secrets) {
          // Only what both the recipient and the caller's own team (alice: US) may see.
          const shouldAppear = s.in.includes(format) && canSee(teamId[recipient]!, s.marked) && canSee(teamId.US!, s.marked);
          // Reports show indicator values defanged: a hidden value must appear in neither form.
          const present = text.includes(s.needle) || text.includes(defang(s.needle));
          expect({ recipient, needle: s.needle, present }).toEqual({ recipient, needle: s.needle, present: shouldAppear });
        }
      }
    });
  }

  it('an owner of another team (CA) gets, for every recipient and format, only what both CA and the recipient may see; the counts too', async () => {
    expect((await alice.patch(`/api/workspaces/${ws}/members/ben`, { role: 'owner' })).status).toBe(200);
    try {
      for (const recipient of TEAMS) {
        const both = (s: Secret) => canSee(teamId[recipient]!, s.marked) && canSee(teamId.CA!, s.marked);
        for (const format of FORMATS) {
          const res = await download(ben, format, recipient);
          expect(res.status).toBe(200);
          const text = textOf(format, res.bytes);
          for (const s of secrets) {
            const present = text.includes(s.needle) || text.includes(defang(s.needle));
            expect({ recipient, format, needle: s.needle, present }).toEqual({ recipient, format, needle: s.needle, present: s.in.includes(format) && both(s) });
          }
        }
        // The counts count the same set: as many indicators as the STIX bundle holds.
        const counts = await ben.get(`/api/workspaces/${ws}/export?recipient=${recipient}`);
        expect(counts.status).toBe(200);
        const bundle = JSON.parse((await download(ben, 'stix', recipient)).bytes.toString('utf8')) as { objects: { type: string }[] };
        expect(counts.body.indicators).toBe(bundle.objects.filter((o) => o.type === 'indicator').length);
      }
      // What CA may send to US is what US may send to CA (what both see), whoever asks; US-only items
      // (in the demo data too) make US's own package larger.
      const count = async (who: ApiClient, recipient: string) => {
        const { indicators, notes, marks } = (await who.get(`/api/workspaces/${ws}/export?recipient=${recipient}`)).body as Record<string, number>;
        return { indicators, notes, marks };
      };
      const caToUs = await count(ben, 'US');
      expect(caToUs).toEqual(await count(alice, 'CA'));
      const usToUs = await count(alice, 'US');
      expect(caToUs.indicators).toBeLessThan(usToUs.indicators!);
      expect(caToUs.notes).toBeLessThan(usToUs.notes!);
      // The hole as reported: CA asking for US must not receive US-only values nor note bodies.
      const us = textOf('package.zip', (await download(ben, 'package.zip', 'US')).bytes);
      for (const hidden of ['us-strict.leak-matrix.example.org', 'us-red-lv.leak-matrix.example.org', 'NOTE-US-STRICT-4410']) {
        expect(us.includes(hidden) || us.includes(defang(hidden))).toBe(false);
      }
    } finally {
      expect((await alice.patch(`/api/workspaces/${ws}/members/ben`, { role: 'hunter' })).status).toBe(200);
    }
  });

  it('lets a hunter export for their own team only, refuses bad input, and audits every export', async () => {
    expect((await download(ben, 'csv')).status).toBe(200); // own team by default
    expect((await download(ben, 'csv', 'CA')).status).toBe(200);
    expect((await download(ben, 'csv', 'LV')).status).toBe(403);
    expect((await download(alice, 'xlsx', 'CA')).status).toBe(400);
    expect((await download(alice, 'csv', 'ZZ')).status).toBe(400);
    expect((await download(alice, 'csv', 'not a code!')).status).toBe(400);
    const audit = (await alice.get(`/api/workspaces/${ws}/audit`)).body.entries as { action: string; detail: { format?: string; recipient?: string } }[];
    const exports = audit.filter((e) => e.action === 'export.created');
    expect(exports.some((e) => e.detail.format === 'package.zip' && e.detail.recipient === 'LV')).toBe(true);
    expect(exports.some((e) => e.detail.format === 'csv' && e.detail.recipient === 'CA')).toBe(true);
  });

  it('the STIX export of an empty workspace is a valid bundle (no empty objects list) and imports as nothing', async () => {
    const empty = (await alice.post('/api/workspaces', { name: 'nothing yet' })).body.id as string;
    const res = await fetch(`${server.url}/api/workspaces/${empty}/export/stix`, { headers: { cookie: alice.cookie! } });
    expect(res.status).toBe(200);
    const bundle = (await res.json()) as Record<string, unknown>;
    // STIX 2.1: `objects` is optional, and when present holds at least one object (OASIS schema, minItems 1).
    expect(bundle.type).toBe('bundle');
    expect(bundle.id).toMatch(/^bundle--[0-9a-f-]{36}$/);
    expect('objects' in bundle).toBe(false);
    expect(stixSchemaErrors(bundle)).toEqual([]);
    expect(importStix(bundle)).toEqual([]);
    // A bundle with a non-list `objects` is still refused, with the reason.
    expect(() => importStix({ type: 'bundle', id: bundle.id, objects: {} })).toThrow(/"objects" array/);
  });

  it('STIX uses the standard TLP definitions and imports back with its markings; MISP too', async () => {
    const bundle = JSON.parse((await download(alice, 'stix', 'US')).bytes.toString('utf8'));
    const objects = bundle.objects as { type: string; id: string; object_marking_refs?: string[]; pattern?: string; name?: string }[];
    const defs = new Set(objects.filter((o) => o.type === 'marking-definition').map((o) => o.id));
    for (const o of objects) for (const ref of o.object_marking_refs ?? []) expect(defs.has(ref)).toBe(true);
    expect(defs).toContain('marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003'); // AMBER+STRICT (OASIS TLP 2.0)
    expect(defs).toContain('marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9'); // CLEAR as STIX 2.1 WHITE
    expect(objects.find((o) => o.name === 'us-strict.leak-matrix.example.org')?.pattern).toBe("[domain-name:value = 'us-strict.leak-matrix.example.org']");
    expect(objects.some((o) => o.type === 'attack-pattern' && o.name === 'Web Protocols')).toBe(true);
    expect(objects.some((o) => o.type === 'identity')).toBe(true);
    // Ben's sighting of the CLEAR indicator, sighted by the CA identity.
    const clear = objects.find((o) => o.name === 'us-clear.leak-matrix.example.org')!;
    const sighting = objects.find((o) => o.type === 'sighting') as unknown as { sighting_of_ref: string; where_sighted_refs: string[]; description: string };
    expect(sighting).toMatchObject({ sighting_of_ref: clear.id, description: 'seen on CA proxy logs' });
    expect(objects.find((o) => o.id === sighting.where_sighted_refs[0])?.name).toMatch(/\(CA\)$/);
    const back = Object.fromEntries(importStix(bundle).map((c) => [c.value, c.tlp]));
    expect(back['us-strict.leak-matrix.example.org']).toBe('AMBER+STRICT');
    expect(back['us-red-lv.leak-matrix.example.org']).toBe('RED');
    expect(back['us-clear.leak-matrix.example.org']).toBe('CLEAR');
    const misp = JSON.parse((await download(alice, 'misp', 'US')).bytes.toString('utf8'));
    expect(Object.fromEntries(importMisp(misp).map((c) => [c.value, c.tlp]))['us-amber-ca.leak-matrix.example.org']).toBe('AMBER');
  });
});

/**
 * Re-importing a file records none of its sightings twice (server/src/indicators/repeats.ts): through
 * POST /api/workspaces/:id/indicators/import against a real node (real SQLite, real HTTP), with PyMISP's
 * sighting_1.json and the OASIS sighting example. A sighting is the same when the same team saw it at
 * the same instant with the same context and note; a new sighting in a later file is still recorded,
 * a STIX `count` is kept as copies, and another team's import records that team's own sightings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../helpers/server.js';
import type { ApiClient } from '../helpers/http.js';
import { boardOf, fixtureText, IMPORT_BACKENDS, importJson, startWithAliceAndBen, workspaceWithBen } from './import-helpers.js';

// On PostgreSQL too: the held sightings are read under the seq lock there.
describe.each(IMPORT_BACKENDS)('re-importing a file with sightings on $name', ({ start }) => {
  let server: TestServer;
  let alice: ApiClient;
  let ben: ApiClient;

  beforeAll(async () => {
    ({ server, alice, ben } = await startWithAliceAndBen(start));
  });
  afterAll(() => server.stop());

  const workspace = () => workspaceWithBen(alice);
  const sightingsOf = async (api: ApiClient, ws: string, value: string) => {
    const row = (await boardOf(api, ws)).get(value);
    const detail = await api.get(`/api/workspaces/${ws}/indicators/${row.id}`);
    expect(detail.status).toBe(200);
    return { count: row.sightingCount as number, list: detail.body.sightings as { seenAt: string; context: string; team: { code: string } }[] };
  };

  const MISP_VALUE = 'ooiasjdnqjwbeasdasd.com';

  it('MISP (PyMISP sighting_1.json): the same file twice keeps the count; a file with one more sighting adds one', async () => {
    const ws = await workspace();
    const content = fixtureText('misp', 'sighting_1.json');
    const first = await importJson(alice, ws, { format: 'misp', content });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    // Both indicators it creates carry one MISP sighting (type 0) each.
    expect(first.body).toMatchObject({ created: 2, merged: 0, sightings: 2, rejected: [] });
    const before = await sightingsOf(alice, ws, MISP_VALUE);
    expect(before.count).toBe(1);
    expect(before.list).toEqual([expect.objectContaining({ seenAt: new Date(1551253950_000).toISOString(), context: 'MISP sighting by ORGNAME' })]);
    const otherBefore = await boardOf(alice, ws);

    // The dry run of the re-import already says nothing would be recorded.
    const dry = await importJson(alice, ws, { format: 'misp', content, dryRun: true });
    expect(dry.body).toMatchObject({ created: 0, merged: 2, sightings: 0, rejected: [] });
    const again = await importJson(alice, ws, { format: 'misp', content });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ created: 0, merged: 2, sightings: 0, rejected: [] });
    const after = await sightingsOf(alice, ws, MISP_VALUE);
    expect(after.count).toBe(1);
    expect(after.list).toHaveLength(1);
    // Nothing else moved either: every indicator keeps its count and last seen.
    for (const [value, row] of await boardOf(alice, ws))
      expect(row, value).toMatchObject({ sightingCount: otherBefore.get(value).sightingCount, lastSeen: otherBefore.get(value).lastSeen });

    // The same event a month later, with one more sighting of that domain: that one is news.
    const event = JSON.parse(content) as { Event: { Attribute: { value: string; Sighting?: Record<string, unknown>[] }[] } };
    const attr = event.Event.Attribute.find((a) => a.value === MISP_VALUE)!;
    attr.Sighting!.push({ ...attr.Sighting![0], id: '9', date_sighting: '1553932350', source: 'sensor 7' });
    const later = await importJson(alice, ws, { format: 'misp', content: JSON.stringify(event) });
    expect(later.body).toMatchObject({ created: 0, merged: 2, sightings: 1, rejected: [] });
    const added = await sightingsOf(alice, ws, MISP_VALUE);
    expect(added.count).toBe(2);
    expect(added.list.map((s) => s.context).sort()).toEqual(['MISP sighting by ORGNAME', 'sensor 7']);
    // And that later file again: nothing.
    const laterAgain = await importJson(alice, ws, { format: 'misp', content: JSON.stringify(event) });
    expect(laterAgain.body).toMatchObject({ sightings: 0 });
    expect((await sightingsOf(alice, ws, MISP_VALUE)).count).toBe(2);
  });

  it("another team importing the same file records its own team's sightings, once", async () => {
    const ws = await workspace();
    const content = fixtureText('misp', 'sighting_1.json');
    await importJson(alice, ws, { format: 'misp', content });
    const byBen = await importJson(ben, ws, { format: 'misp', content });
    expect(byBen.body).toMatchObject({ created: 0, sightings: 2 });
    const seen = await sightingsOf(alice, ws, MISP_VALUE);
    // Ben's merge of the row alice's team made is his team's observation, plus the file's sighting as his team's.
    expect(seen.list.filter((s) => s.team.code === 'CA' && s.context === 'MISP sighting by ORGNAME')).toHaveLength(1);
    const count = seen.count;
    const byBenAgain = await importJson(ben, ws, { format: 'misp', content });
    expect(byBenAgain.body).toMatchObject({ sightings: 0 });
    const last = await sightingsOf(alice, ws, MISP_VALUE);
    expect(last.list.filter((s) => s.team.code === 'CA' && s.context === 'MISP sighting by ORGNAME')).toHaveLength(1);
    // Ben's row merged at the time the file gives it (its earliest sighting) the first time, so his re-import repeats that too.
    expect(last.count).toBe(count);
  });

  it('STIX (OASIS sighting example): the same bundle twice keeps the count; a new sighting object adds one; `count` is kept as copies', async () => {
    const ws = await workspace();
    const content = fixtureText('stix', 'oasis-sighting-of-an-indicator.json');
    const url = 'http://paypa1.banking.com/';
    expect((await importJson(alice, ws, { format: 'stix', content })).body).toMatchObject({ created: 1, sightings: 1 });
    const again = await importJson(alice, ws, { format: 'stix', content });
    expect(again.body).toMatchObject({ created: 0, merged: 1, sightings: 0, rejected: [] });
    expect((await sightingsOf(alice, ws, url)).count).toBe(1);

    const bundle = JSON.parse(content) as { objects: Record<string, unknown>[] };
    const sighting = bundle.objects.find((o) => o.type === 'sighting')!;
    bundle.objects.push({ ...sighting, id: 'sighting--1f3c4a4e-8f63-4c2b-9d0e-2a2f7c1b9e01', last_seen: '2017-03-02T08:00:00.000Z', count: 3 });
    const more = await importJson(alice, ws, { format: 'stix', content: JSON.stringify(bundle) });
    expect(more.body).toMatchObject({ created: 0, merged: 1, sightings: 3 });
    expect((await sightingsOf(alice, ws, url)).count).toBe(4);
    const moreAgain = await importJson(alice, ws, { format: 'stix', content: JSON.stringify(bundle) });
    expect(moreAgain.body).toMatchObject({ sightings: 0 });
    expect((await sightingsOf(alice, ws, url)).count).toBe(4);
  });

  it('sighting:add over REST: the same sighting sent twice is recorded once and answered with the one held', async () => {
    const ws = await workspace();
    await importJson(alice, ws, { format: 'text', content: 'resighted.badhost.top' });
    const row = (await boardOf(alice, ws)).get('resighted.badhost.top');
    const body = { seenAt: '2026-02-01T10:00:00Z', context: 'proxy log', note: 'first hit' };
    const one = await alice.post(`/api/workspaces/${ws}/indicators/${row.id}/sightings`, body);
    expect(one.status).toBe(201);
    // The same instant written another way is the same sighting.
    const two = await alice.post(`/api/workspaces/${ws}/indicators/${row.id}/sightings`, { ...body, seenAt: '2026-02-01T11:00:00.000+01:00' });
    expect(two.status).toBe(201);
    expect(two.body.sighting.id).toBe(one.body.sighting.id);
    // Another note, or another team, is another sighting.
    const three = await alice.post(`/api/workspaces/${ws}/indicators/${row.id}/sightings`, { ...body, note: 'second look' });
    const four = await ben.post(`/api/workspaces/${ws}/indicators/${row.id}/sightings`, body);
    expect(three.body.sighting.id).not.toBe(one.body.sighting.id);
    expect(four.body.sighting.id).not.toBe(one.body.sighting.id);
    expect((await sightingsOf(alice, ws, 'resighted.badhost.top')).count).toBe(3);

    // Sent four times at once (each its own command): judged one after the other, recorded once.
    const same = { seenAt: '2026-02-02T09:30:00Z', context: 'edr alert', note: '' };
    const answers = await Promise.all([1, 2, 3, 4].map(() => alice.post(`/api/workspaces/${ws}/indicators/${row.id}/sightings`, same)));
    for (const a of answers) expect(a.status).toBe(201);
    expect(new Set(answers.map((a) => a.body.sighting.id)).size).toBe(1);
    expect((await sightingsOf(alice, ws, 'resighted.badhost.top')).count).toBe(4);
  });
});

/**
 * One model for an address seen with a port, end to end through a real node (real SQLite, real HTTP):
 * the value is the address alone and each port is the indicator's `port:<n>` tag, so the same address
 * from a MISP event (`ip-dst|port`), from a report with and without a port, and typed by hand is ONE
 * indicator carrying every port. A port learnt under a stricter marking is never copied onto an
 * indicator other teams see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../helpers/server.js';
import type { ApiClient } from '../helpers/http.js';
import { boardOf, importJson, startWithAliceAndBen, workspaceWithBen } from './import-helpers.js';

const mispEvent = (attributes: { type: string; value: string }[]) =>
  JSON.stringify({ Event: { info: 'ports', Attribute: attributes.map((a) => ({ ...a, to_ids: true, category: 'Network activity' })) } });

describe('an address seen with a port is one indicator carrying its ports', () => {
  let server: TestServer;
  let alice: ApiClient;
  let ben: ApiClient;

  beforeAll(async () => {
    ({ server, alice, ben } = await startWithAliceAndBen());
  });
  afterAll(() => server.stop());

  const workspace = () => workspaceWithBen(alice);

  it('MISP ip-dst|port, then free text with another port and without: one indicator, both ports', async () => {
    const ws = await workspace();
    const misp = await importJson(alice, ws, { format: 'misp', content: mispEvent([{ type: 'ip-dst|port', value: '185.220.101.61|8443' }]) });
    expect(misp.status).toBe(201);
    expect(misp.body).toMatchObject({ created: 1, merged: 0, rejected: [] });
    const first = (await boardOf(alice, ws)).get('185.220.101.61');
    expect(first).toMatchObject({ type: 'ip-dst', value: '185.220.101.61', tags: ['port:8443'] });

    const text = await importJson(ben, ws, { format: 'text', content: 'Beacon to 185.220.101.61:443 every minute.\nLater 185.220.101.61 again, and 185.220.101.61:8443.' });
    expect(text.status).toBe(201);
    expect(text.body).toMatchObject({ created: 0, merged: 1, rejected: [] });
    const board = await boardOf(alice, ws);
    expect([...board.keys()]).toEqual(['185.220.101.61']);
    const one = board.get('185.220.101.61');
    expect(one.id).toBe(first.id);
    expect([...one.tags].sort()).toEqual(['port:443', 'port:8443']);
    expect(one.sightingCount).toBe(1);
    // The other team sees the same one indicator with the same ports.
    expect((await boardOf(ben, ws)).get('185.220.101.61').tags.sort()).toEqual(['port:443', 'port:8443']);
  });

  it('a file imported again with a port added keeps the new port, though its sighting is a repeat', async () => {
    const ws = await workspace();
    const at = '2026-10-01T10:00:00Z';
    const event = (type: string, value: string) => JSON.stringify({ Event: { info: 'feed', Attribute: [{ type, value, to_ids: true, first_seen: at }] } });
    expect((await importJson(alice, ws, { format: 'misp', content: event('ip-dst', '185.220.101.66') })).body).toMatchObject({ created: 1 });
    const again = await importJson(alice, ws, { format: 'misp', content: event('ip-dst|port', '185.220.101.66|8080') });
    expect(again.body).toMatchObject({ created: 0, rejected: [] });
    expect((await boardOf(alice, ws)).get('185.220.101.66')).toMatchObject({ sightingCount: 0, tags: ['port:8080'] });
  });

  it('typed by hand with a port (REST): the address is the value, the port its tag; without the port it is a sighting', async () => {
    const ws = await workspace();
    const made = await alice.post(`/api/workspaces/${ws}/indicators`, { type: 'ip-dst', value: '185.220.101.62:8080' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ outcome: 'created', indicator: { value: '185.220.101.62', originalValue: '185.220.101.62:8080', tags: ['port:8080'] } });
    const again = await ben.post(`/api/workspaces/${ws}/indicators`, { type: 'ip-dst', value: '185.220.101.62' });
    expect(again.body).toMatchObject({ outcome: 'sighted', indicator: { id: made.body.indicator.id, tags: ['port:8080'] } });
    const v6 = await ben.post(`/api/workspaces/${ws}/indicators`, { type: 'ip-src', value: '[2a0b:f4c2::62]:22', tags: ['ssh'] });
    expect(v6.body).toMatchObject({ outcome: 'created', indicator: { value: '2a0b:f4c2::62', tags: ['ssh', 'port:22'] } });
    // A bad port is refused with its reason and saves nothing.
    const bad = await alice.post(`/api/workspaces/${ws}/indicators`, { type: 'ip-dst', value: '185.220.101.63:70000' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/port 70000 is out of range/);
    expect([...(await boardOf(alice, ws)).keys()].sort()).toEqual(['185.220.101.62', '2a0b:f4c2::62']);
  });

  it('a port seen under a stricter marking is not copied onto the indicator other teams see', async () => {
    const ws = await workspace();
    expect((await alice.post(`/api/workspaces/${ws}/indicators`, { type: 'ip-dst', value: '185.220.101.64' })).body).toMatchObject({ outcome: 'created' });
    // ben imports the address with a port as RED (his team only): the US team must not learn the port.
    const red = await importJson(ben, ws, { format: 'text', content: 'C2 185.220.101.64:4444', defaults: { marking: { tlp: 'RED' } } });
    expect(red.body).toMatchObject({ created: 0, merged: 1, rejected: [] });
    expect((await boardOf(alice, ws)).get('185.220.101.64').tags).toEqual([]);
    // The same port at the indicator's own marking is kept.
    const same = await importJson(ben, ws, { format: 'text', content: 'C2 185.220.101.64:4444' });
    expect(same.body).toMatchObject({ created: 0, merged: 1, rejected: [] });
    expect((await boardOf(alice, ws)).get('185.220.101.64').tags).toEqual(['port:4444']);
  });

  it('a port added to an indicator hidden from the importer tells the importer nothing more than that it merged', async () => {
    const ws = await workspace();
    // RED for the US team only: ben's team (CA) cannot see it.
    expect((await alice.post(`/api/workspaces/${ws}/indicators`, { type: 'ip-dst', value: '185.220.101.65', tlp: 'RED', releasableTo: ['US'] })).status).toBe(201);
    const res = await importJson(ben, ws, { format: 'text', content: 'C2 185.220.101.65:9001' });
    expect(res.body).toMatchObject({ created: 0, merged: 1, rejected: [] });
    expect(JSON.stringify(res.body)).not.toContain('port:');
    expect((await boardOf(ben, ws)).has('185.220.101.65')).toBe(false);
    // Wider than the RED row, the port reaches no team that does not see the row: kept for its owners.
    expect((await boardOf(alice, ws)).get('185.220.101.65')).toMatchObject({ tlp: 'RED', tags: ['port:9001'] });
  });
});

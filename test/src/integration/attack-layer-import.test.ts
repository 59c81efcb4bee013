/**
 * Real Navigator layers through the REST import (POST /api/workspaces/:id/attack/layer): MITRE's
 * Bear_APT sample (4.5), the 4.2 spec example (metadata dividers, once refused) and the 3.0 one
 * (converted) become the caller's team marks, which the layer export then gives back; a layer of an
 * unsupported format is refused with a sentence naming the supported ones, and changes nothing.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, type ApiClient } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/interop/navigator/${name}`, import.meta.url), 'utf8');

describe('Navigator layer import of real files', () => {
  let server: TestServer;
  let ben: ApiClient;
  let ws: string;
  beforeAll(async () => {
    server = await startTestServer();
    ben = await loginAs(server.url, 'ben');
    ws = server.demo!.workspaceId;
  });
  afterAll(async () => {
    await server?.stop();
  });

  const caLayer = async () =>
    (await ben.get(`/api/workspaces/${ws}/attack/layer?domain=enterprise-attack&team=CA`)).body as { techniques: { techniqueID: string; comment: string }[] };

  it('imports MITRE’s Bear_APT sample layer as sent (126 techniques), and exports them back', async () => {
    const res = await ben.request('POST', `/api/workspaces/${ws}/attack/layer?domain=enterprise-attack`, fixture('Bear_APT.json'));
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ team: 'CA', marks: 126 });
    const layer = await caLayer();
    expect(layer.techniques).toHaveLength(126);
    expect(layer.techniques.find((t) => t.techniqueID === 'T1566.001')?.comment).toBe(
      'CA: suspected - used by Fancy Bear, Cozy Bear, Berserk Bear, VOODOO BEAR, WhiteBear (AKA VENOMOUS BEAR)',
    );
  });

  it('imports the 4.2 spec example (metadata divider) and converts the 3.0 one (mitre-enterprise)', async () => {
    for (const name of ['layer-4.2-spec-example.json', 'layer-3.0-spec-example.json']) {
      const res = await ben.request('POST', `/api/workspaces/${ws}/attack/layer`, fixture(name));
      expect(res.status, name).toBe(201);
      expect(res.body).toEqual({ team: 'CA', marks: 4 });
      expect((await caLayer()).techniques.map((t) => t.techniqueID)).toEqual(['T1053', 'T1110', 'T1110.001', 'T1134']);
    }
  });

  it('refuses an older format and a multi-layer file with a clear reason, changing nothing', async () => {
    const before = await caLayer();
    const old = JSON.parse(fixture('layer-3.0-spec-example.json')) as Record<string, unknown>;
    const res = await ben.post(`/api/workspaces/${ws}/attack/layer`, { ...old, version: '2.2' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^Navigator layer format 2\.2 is not supported: Huntroom reads Navigator layer format 4\.0 to 4\.5 \(3\.0 is converted\)/);
    const two = await ben.request('POST', `/api/workspaces/${ws}/attack/layer`, `[${fixture('layer-4.5-spec-example.json')},${fixture('Bear_APT.json')}]`);
    expect(two.status).toBe(400);
    expect(two.body.error.message).toMatch(/^this file holds 2 Navigator layers/);
    const bad = JSON.parse(fixture('layer-4.5-spec-example.json')) as { techniques: Record<string, unknown>[] };
    bad.techniques[4]!.metadata = [{ name: 'no value' }];
    const located = await ben.post(`/api/workspaces/${ws}/attack/layer`, bad);
    expect(located.status).toBe(400);
    expect(located.body.error.message).toMatch(/^not a usable Navigator layer: techniques\.4\.metadata\.0: /);
    expect(await caLayer()).toEqual(before);
  });
});

/**
 * GET /api/attack/:domain serves the shipped index with an ETag (and 304), only to logged-in users;
 * POST /api/attack/import takes a newer bundle from the operator (a site admin; the catalog serves every
 * workspace, so a workspace owner may not), and a bad file changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { loginAs, type ApiClient } from '../helpers/http.js';
import { makeOperator } from '../helpers/foundation.js';
import { miniAttackBundle } from '../helpers/attack.js';

describe('ATT&CK API', () => {
  let server: TestServer;
  let alice: ApiClient;
  let ben: ApiClient;
  let operator: ApiClient;
  beforeAll(async () => {
    server = await startTestServer();
    [alice, ben] = await Promise.all([loginAs(server.url, 'alice'), loginAs(server.url, 'ben')]);
    operator = await makeOperator(server);
  });
  afterAll(() => server.stop());

  it('serves the shipped enterprise index gzipped with an ETag, and 304 when unchanged', async () => {
    const res = await fetch(`${server.url}/api/attack/enterprise-attack`, { headers: { cookie: alice.cookie!, 'accept-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    const etag = res.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    const index = JSON.parse(await res.text());
    expect(index.domain).toBe('enterprise-attack');
    expect(index.tactics).toHaveLength(14);
    expect(index.techniques.length).toBeGreaterThan(600);
    const again = await fetch(`${server.url}/api/attack/enterprise-attack`, { headers: { cookie: alice.cookie!, 'if-none-match': etag! } });
    expect(again.status).toBe(304);
  });

  it('refuses logged-out callers and names the valid domains for an unknown one', async () => {
    expect((await fetch(`${server.url}/api/attack/ics-attack`)).status).toBe(401);
    const res = await alice.get('/api/attack/pre-attack');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toMatch(/enterprise-attack, ics-attack or mobile-attack/);
  });

  it('lets the operator import a newer bundle, which is then served; a workspace owner or hunter gets 403', async () => {
    const before = await alice.get('/api/attack/ics-attack');
    expect(before.body.version).toBe('18.1');
    expect((await ben.post('/api/attack/import', miniAttackBundle('Nope'))).status).toBe(403);
    const owner = await alice.post('/api/attack/import', miniAttackBundle('Nope'));
    expect(owner.status).toBe(403);
    expect(owner.body.error.message).toMatch(/operator/);
    expect((await alice.get('/api/attack/ics-attack')).body.version).toBe('18.1');
    const res = await operator.post('/api/attack/import', miniAttackBundle('Brand new technique'));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ domain: 'ics-attack', version: '99.0', techniques: 1 });
    const after = await alice.get('/api/attack/ics-attack');
    expect(after.body.version).toBe('99.0');
    expect(after.body.techniques[0].name).toBe('Brand new technique');
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
    const audit = await server.ctx.db.all<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'attack.imported'");
    expect(audit.map((a) => JSON.parse(a.detail).version)).toContain('99.0');
  });

  it('refuses a malformed bundle with a clear error and keeps the current data', async () => {
    const before = await alice.get('/api/attack/mobile-attack');
    const bad = await operator.post('/api/attack/import', {
      type: 'bundle',
      objects: [{ type: 'x-mitre-matrix', id: 'x', external_references: [{ source_name: 'mitre-attack', external_id: 'mobile-attack' }], tactic_refs: [] }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/not a usable ATT&CK bundle: the matrix lists no tactics/);
    expect((await operator.post('/api/attack/import', { hello: 'world' })).status).toBe(400);
    const after = await alice.get('/api/attack/mobile-attack');
    expect(after.body.version).toBe(before.body.version);
    expect(after.body.techniques).toHaveLength(before.body.techniques.length);
  });

  it('takes a bundle larger than the 1 MB limit of other bodies', async () => {
    const big = miniAttackBundle('Large');
    (big.objects as object[]).push(...Array.from({ length: 3_000 }, (_, i) => ({ type: 'note', id: `note--${i}`, content: 'x'.repeat(500) })));
    const res = await operator.post('/api/attack/import', big);
    expect(res.status).toBe(201);
  });
});

/**
 * Who may import (POST /api/workspaces/:id/indicators/import), and what an import may reach. The route
 * is an indicator write: owners and hunters of the workspace, by session (with CSRF) or by personal
 * access token. Everyone else is refused before a byte of the body is read, and nothing is saved. An
 * import cannot widen a marking (team codes go through bulkCreate's normalization), cannot read an
 * indicator its team may not see (a hidden duplicate is merged, never shown), and nothing it creates
 * reaches a member whose team may not see it, live or by REST.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, makeWorkspace } from '../helpers/foundation.js';
import { ApiClient } from '../helpers/http.js';
import { authzCallers, tokenClient } from '../helpers/partners.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { connect, eventually, settle } from './indicators-helpers.js';
import { boardOf, importForm, importJson, importPath } from './import-helpers.js';

const BODY = { format: 'text', content: 'authz-probe.badhost.top' };

describe('indicator import: authorization and leaks', () => {
  let server: TestServer;
  let ws: string;
  let alice: ApiClient; // US, owner
  let ben: ApiClient; // CA, hunter
  let liga: ApiClient; // LV, hunter of the demo workspace only: not a member of ws
  let olga: ApiClient; // LV observer of ws
  let inga: ApiClient; // LV guest of a live handoff of ws

  beforeAll(async () => {
    server = await startTestServer();
    ({ ws, alice, ben, liga, olga, inga } = await authzCallers(server.url));
  });
  afterAll(() => server.stop());

  it('refuses anonymous, observer, guest, non-member, another team’s token and a missing CSRF header; nothing is saved', async () => {
    const anon = new ApiClient(server.url);
    const noCsrf = new ApiClient(server.url);
    noCsrf.cookie = alice.cookie;
    const cases: [string, ApiClient, number][] = [
      ['anonymous', anon, 401],
      ['observer (LV)', olga, 403],
      ['guest of a handoff (LV)', inga, 403],
      ['member of another team, not in the workspace (LV)', liga, 404],
      ['token of another team (LV), not in the workspace', await tokenClient(liga, 'import script'), 404],
      ['owner session without the CSRF header', noCsrf, 403],
    ];
    for (const [who, api, status] of cases) {
      expect((await importJson(api, ws, BODY)).status, who).toBe(status);
      expect((await importJson(api, ws, { ...BODY, dryRun: true })).status, `${who} (dry run)`).toBe(status);
      if (api !== anon) expect((await importForm(api, ws, { name: 'x.txt', content: BODY.content }, { format: 'text' })).status, `${who} (form)`).toBe(status);
    }
    expect((await boardOf(alice, ws)).size).toBe(0);
    // The ones who may: the hunter by session, and the owner by personal access token.
    expect((await importJson(ben, ws, { format: 'text', content: 'hunter-session.badhost.top' })).status).toBe(201);
    expect((await importJson(await tokenClient(alice, 'import script'), ws, { format: 'text', content: 'owner-token.badhost.top' })).status).toBe(201);
    expect([...(await boardOf(alice, ws)).keys()].sort()).toEqual(['hunter-session.badhost.top', 'owner-token.badhost.top']);
  });

  it('refuses a body declared over the limit before reading it (413), one streamed past it (413), and one sent by a refused caller (403)', async () => {
    const send = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${server.url}${importPath(ws)}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        // Only the start of the body: the answer must come without the rest.
        req.write('{"format":"text","content":"');
      });
    expect(await send({ 'content-length': '40000000', cookie: alice.cookie!, 'x-csrf-token': alice.csrfToken! })).toBe(413);
    expect(await send({ 'content-length': '1000000', cookie: olga.cookie!, 'x-csrf-token': olga.csrfToken! })).toBe(403);
    // Streamed without a declared length: read up to the 32 MB limit, then 413; nothing saved.
    const before = (await boardOf(alice, ws)).size;
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        `${server.url}${importPath(ws)}`,
        { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', cookie: alice.cookie!, 'x-csrf-token': alice.csrfToken! } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', () => undefined);
      const chunk = Buffer.alloc(1 << 20, 0x61);
      let sent = 0;
      const pump = () => {
        while (sent < 40 && !req.destroyed) {
          sent++;
          if (!req.write(sent === 1 ? Buffer.concat([Buffer.from('{"format":"text","content":"'), chunk]) : chunk)) return void req.once('drain', pump);
        }
        if (!req.destroyed) req.end('"}');
      };
      pump();
      setTimeout(() => reject(new Error('no answer to a 40 MB stream')), 20_000).unref();
    });
    expect(streamed).toBe(413);
    expect((await boardOf(alice, ws)).size).toBe(before);
  });

  it('markings: team codes are normalized as bulkCreate does (an unknown team refuses the row), and a CA-only row reaches CA only', async () => {
    const lvHunter = await makeWorkspace(alice);
    await addMember(alice, lvHunter, 'ben', 'hunter');
    await addMember(alice, lvHunter, 'liga', 'hunter');
    const lvLive = await connect(server.url, liga, lvHunter);
    try {
      const csv = [
        'value,type,tlp,releasable_to',
        'ca-only-import.badhost.top,hostname,AMBER,ca',
        'nowhere-import.badhost.top,hostname,AMBER,ZZ',
        'for-all-import.badhost.top,hostname,GREEN,',
      ].join('\n');
      const res = await importJson(alice, lvHunter, { format: 'csv', content: csv });
      expect(res.status).toBe(201);
      expect(res.body.created).toBe(2);
      expect(res.body.rejected).toEqual([{ value: 'nowhere-import.badhost.top', reason: expect.stringMatching(/ZZ/) }]);
      // Limited to CA; the owner team (US) keeps sight of its own.
      const byBen = await boardOf(ben, lvHunter);
      expect(byBen.get('ca-only-import.badhost.top')).toMatchObject({ tlp: 'AMBER' });
      expect(byBen.get('ca-only-import.badhost.top').releasableTo).toEqual(expect.arrayContaining(['CA']));
      expect(byBen.get('ca-only-import.badhost.top').releasableTo).not.toContain('LV');
      const byLiga = await boardOf(liga, lvHunter);
      expect(byLiga.has('for-all-import.badhost.top')).toBe(true);
      expect(byLiga.has('ca-only-import.badhost.top')).toBe(false);
      // Live: LV saw the GREEN one arrive and never a byte of the CA-only one.
      await eventually(() => expect(lvLive.raw.join('')).toContain('for-all-import.badhost.top'));
      await settle();
      expect(lvLive.raw.join('')).not.toContain('ca-only-import');
    } finally {
      lvLive.close();
    }
  });

  it('a value another team holds hidden is merged (a sighting), never shown to the importer', async () => {
    const hidden = await ben.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: 'ca-secret-import.top', tlp: 'RED', releasableTo: ['CA'], tags: ['ca-eyes-only'] });
    expect(hidden.status).toBe(201);
    for (const dryRun of [true, false]) {
      const res = await importJson(alice, ws, { format: 'text', content: 'ca-secret-import.top', dryRun });
      expect(res.body).toMatchObject({ created: 0, merged: 1, rejected: [], skipped: [] });
      // The answer holds counts and the importer's own value, nothing of the hidden row.
      expect(JSON.stringify(res.body)).not.toMatch(/ca-eyes-only|RED|"CA"/);
    }
    expect((await boardOf(alice, ws)).has('ca-secret-import.top')).toBe(false);
    expect((await boardOf(ben, ws)).get('ca-secret-import.top')).toMatchObject({ sightingCount: 1, tlp: 'RED' });
  });
});

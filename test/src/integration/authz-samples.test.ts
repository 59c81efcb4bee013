/**
 * Authorization and leak matrix of the malware-sample routes (issue 18, items 4 and 7): every route
 * (upload, list, download, delete) x every kind of caller, on a finding every team may see (GREEN) and
 * on one only its US owner team may see (AMBER, releasable to US). Whoever's team may not see the
 * finding gets exactly the 404 of a finding that does not exist, whatever their role (another team's
 * hunter, observer, owner, a guest of a handoff, another team's personal access token), and none of the
 * answers carries the sample's name or hashes. Observers and guests read (list, download) what they
 * may see and never write (403). Decisions in docs/security.md "Malware samples".
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { ApiClient } from '../helpers/http.js';
import { handoffGuest } from '../helpers/partners.js';
import { accountViaInvite, makeWorkspace } from '../helpers/foundation.js';
import { login } from './indicators-helpers.js';
import { call, huntCommand, makeFinding, samplesPath, upload, type Answer, type Caller } from './samples-helpers.js';

type Route = 'upload' | 'list' | 'download' | 'delete';
const ROUTES: Route[] = ['upload', 'list', 'download', 'delete'];

describe('malware samples: who may do what, and what leaks', () => {
  let server: TestServer;
  let ws: string;
  let alice: ApiClient;
  const callers = new Map<string, Caller | undefined>();
  const finding: Record<'open' | 'hidden', string> = { open: '', hidden: '' };
  const sample: Record<'open' | 'hidden', { id: string; sha256: string; md5: string }> = {} as never;
  const NAME = 'zq-secret-implant-name.dll';

  beforeAll(async () => {
    server = await startTestServer();
    ws = server.demo!.workspaceId;
    alice = await login(server.url, 'alice');
    const liga = await login(server.url, 'liga');
    finding.open = await makeFinding(server.url, alice, ws, { tlp: 'GREEN' }, 'open finding');
    finding.hidden = await makeFinding(server.url, alice, ws, { tlp: 'AMBER', releasableTo: ['US'] }, 'US-only finding');
    for (const k of ['open', 'hidden'] as const) {
      const up = await upload(server.url, alice, ws, finding[k], randomBytes(4096), { name: NAME });
      expect(up.status).toBe(201);
      sample[k] = up.body;
    }
    const ben = await login(server.url, 'ben');
    const token = await ben.post('/api/tokens', { name: 'ca script', expiresInDays: 1 });
    expect(token.status).toBe(201);
    // Someone with an account who is not a member of this workspace (a member of another one).
    const other = await makeWorkspace(alice);
    const nonMember = await accountViaInvite(server.url, alice, other, { team: 'CA', role: 'hunter' });
    callers.set('anonymous', undefined);
    callers.set('non-member', nonMember);
    callers.set('US owner (alice)', alice);
    callers.set('US hunter', await accountViaInvite(server.url, alice, ws, { team: 'US', role: 'hunter' }));
    callers.set('US observer', await accountViaInvite(server.url, alice, ws, { team: 'US', role: 'observer' }));
    callers.set('CA hunter (ben)', ben);
    callers.set('CA observer', await accountViaInvite(server.url, alice, ws, { team: 'CA', role: 'observer' }));
    callers.set('CA owner', await accountViaInvite(server.url, alice, ws, { team: 'CA', role: 'owner' }));
    callers.set('CA token (ben)', { bearer: token.body.token as string });
    callers.set('LV guest of a handoff', await handoffGuest(alice, ws, liga));
  }, 120_000);
  afterAll(async () => server.stop());

  async function attempt(who: string, route: Route, k: 'open' | 'hidden', sampleId = sample[k].id): Promise<Answer> {
    const c = callers.get(who);
    const path = samplesPath(ws, finding[k]);
    if (route === 'upload') return upload(server.url, c, ws, finding[k], randomBytes(64), { name: 'matrix.bin' });
    if (route === 'list') return call(server.url, c, 'GET', path);
    if (route === 'download') return call(server.url, c, 'GET', `${path}/${sampleId}`);
    return call(server.url, c, 'DELETE', `${path}/${sampleId}`);
  }

  /** Expected status per caller: [upload, list, download, delete] on the open finding, then on the hidden one. */
  const EXPECT: Record<string, { open: [number, number, number, number]; hidden: [number, number, number, number] }> = {
    anonymous: { open: [401, 401, 401, 401], hidden: [401, 401, 401, 401] },
    'non-member': { open: [404, 404, 404, 404], hidden: [404, 404, 404, 404] },
    'US owner (alice)': { open: [201, 200, 200, 200], hidden: [201, 200, 200, 200] },
    // The uploading team (US, alice's) may delete its samples, whoever of it uploaded them.
    'US hunter': { open: [201, 200, 200, 200], hidden: [201, 200, 200, 200] },
    // An observer's role refuses every write (403) before any finding is looked at, so it reveals nothing.
    'US observer': { open: [403, 200, 200, 403], hidden: [403, 200, 200, 403] },
    'CA hunter (ben)': { open: [201, 200, 200, 403], hidden: [404, 404, 404, 404] },
    'CA observer': { open: [403, 200, 200, 403], hidden: [403, 404, 404, 403] },
    // An owner of another team may delete a sample it sees (workspace owners delete), never one it does not.
    'CA owner': { open: [201, 200, 200, 200], hidden: [404, 404, 404, 404] },
    'CA token (ben)': { open: [201, 200, 200, 403], hidden: [404, 404, 404, 404] },
    'LV guest of a handoff': { open: [403, 200, 200, 403], hidden: [403, 404, 404, 403] },
  };

  it.each(Object.keys(EXPECT))('%s', async (who) => {
    for (const k of ['hidden', 'open'] as const) {
      const got: number[] = [];
      for (const route of ROUTES) {
        // Deletes run on a sample made for the purpose, so later rows still find theirs.
        let id = sample[k].id;
        if (route === 'delete') {
          const fresh = await upload(server.url, alice, ws, finding[k], randomBytes(64), { name: NAME });
          id = fresh.body.id;
        }
        const res = await attempt(who, route, k, id);
        got.push(res.status);
        const text = res.bytes.toString('latin1');
        if (k === 'hidden' && res.status >= 400) {
          // Exactly what a missing finding answers, naming nothing of the sample.
          for (const secret of [NAME, sample.hidden.sha256, sample.hidden.md5, sample.hidden.id]) expect(text).not.toContain(secret);
        }
        if (res.status === 404) expect(res.body.error.message).toMatch(/^(finding|sample|workspace) not found$/);
      }
      expect({ who, finding: k, got }).toEqual({ who, finding: k, got: EXPECT[who]![k] });
    }
  });

  it('a hidden finding answers as a finding that does not exist, to the byte', async () => {
    const ben = callers.get('CA hunter (ben)');
    const hidden = await call(server.url, ben, 'GET', samplesPath(ws, finding.hidden));
    const missing = await call(server.url, ben, 'GET', samplesPath(ws, 'no-such-finding'));
    expect([hidden.status, missing.status]).toEqual([404, 404]);
    expect(hidden.bytes.toString()).toBe(missing.bytes.toString());
    const dl = await call(server.url, ben, 'GET', `${samplesPath(ws, finding.hidden)}/${sample.hidden.id}`);
    const dlMissing = await call(server.url, ben, 'GET', `${samplesPath(ws, 'no-such-finding')}/${sample.hidden.id}`);
    expect(dl.bytes.toString()).toBe(dlMissing.bytes.toString());
  });

  it('a sample id of the hidden finding asked under the open one is not found (a sample belongs to its finding)', async () => {
    const res = await call(server.url, callers.get('CA hunter (ben)'), 'GET', `${samplesPath(ws, finding.open)}/${sample.hidden.id}`);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe('sample not found');
  });

  it('narrowing the finding shuts the other teams out of its samples at once', async () => {
    const f = await makeFinding(server.url, alice, ws, { tlp: 'GREEN' }, 'to be narrowed');
    const up = await upload(server.url, alice, ws, f, randomBytes(100));
    const ben = callers.get('CA hunter (ben)');
    expect((await call(server.url, ben, 'GET', `${samplesPath(ws, f)}/${up.body.id}`)).status).toBe(200);
    await huntCommand(server.url, alice, ws, 'finding:update', { id: f, tlp: 'AMBER+STRICT' });
    expect((await call(server.url, ben, 'GET', `${samplesPath(ws, f)}/${up.body.id}`)).status).toBe(404);
  });
});

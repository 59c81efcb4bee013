/**
 * TAXII 2.1 for partners (issue 16, item 6). No maintained TAXII 2.1 client exists on npm (there is
 * no `taxii2-client` package; the maintained clients are Python), so these are raw HTTP requests
 * checked against the OASIS TAXII 2.1 specification: the media type, the required fields of each
 * resource, the `X-TAXII-Date-Added-*` headers, `more`/`next` pagination, `added_after`, 406 for an
 * Accept the server cannot answer, TAXII error messages, and 401 with `WWW-Authenticate`.
 *
 * The leak part: team US marks indicators and comments with every TLP level x releasable-to set;
 * each viewer of the leak matrix (a CA hunter, an LV hunter, a CA observer, an LV guest of a live
 * handoff) makes a personal access token and pulls every collection it has over TAXII, page by page.
 * Each indicator's value must appear exactly when `canSee` says the viewer's team may see it; no
 * comment the team may not see may appear.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canSee, TLP_LEVELS, type MarkedItem } from '@huntroom/shared';
import { approvedInvite, startPostgresTestServer, TEST_DATABASE_URL } from '../helpers/foundation.js';
import { ApiClient, loginAs } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const TAXII = 'application/taxii+json;version=2.1';
const RELEASE_SETS: string[][] = [[], ['CA'], ['LV'], ['US'], ['US', 'CA']];

interface Item {
  needle: string;
  marked: MarkedItem;
  kind: 'indicator' | 'comment';
}

async function taxii(base: string, path: string, auth: string | undefined, accept: string | null = TAXII, method = 'GET') {
  const headers: Record<string, string> = {};
  if (auth) headers.authorization = auth;
  if (accept !== null) headers.accept = accept;
  const res = await fetch(base + path, { method, headers });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : undefined };
}

describe('TAXII 2.1 feed', () => {
  let server: TestServer;
  let ws: string;
  let alice: ApiClient;
  let teamId: Record<string, string>;
  const items: Item[] = [];
  const viewers: { name: string; team: string; api: ApiClient; token?: string }[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    ws = server.demo!.workspaceId;
    alice = await loginAs(server.url, 'alice');
    teamId = Object.fromEntries(((await alice.get('/api/teams')).body.teams as { id: string; code: string }[]).map((t) => [t.code, t.id]));
    const ben = await loginAs(server.url, 'ben');
    const liga = await loginAs(server.url, 'liga');

    const invite = await approvedInvite(alice, ws, { role: 'observer', team: 'CA', expiresInHours: 1 });
    const olga = new ApiClient(server.url);
    expect((await olga.post(`/api/invites/${invite.token}/accept`, { username: 'olga', password: 'observer-password-1', displayName: 'Olga' })).status).toBe(201);

    const started = await alice.post(`/api/workspaces/${ws}/handoffs`, { recipient: 'LV', expiresInHours: 4 });
    expect(started.status).toBe(201);
    const invites = (await alice.get(`/api/workspaces/${ws}/invites`)).body.invites as { id: string; handoffId: string | null }[];
    const link = invites.find((i) => i.handoffId === started.body.session.id)!;
    expect((await liga.post(`/api/invite-requests/${link.id}`, { decision: 'approve' })).status).toBe(200);
    const inga = new ApiClient(server.url);
    const joined = await inga.post(`/api/invites/${(started.body.inviteUrl as string).split('/invite/')[1]!}/accept`, {
      username: 'inga',
      password: 'guest-password-1',
      displayName: 'Inga',
    });
    expect(joined.body.member?.role).toBe('guest');

    viewers.push(
      { name: 'ben (CA hunter)', team: 'CA', api: ben },
      { name: 'liga (LV hunter)', team: 'LV', api: liga },
      { name: 'olga (CA observer)', team: 'CA', api: olga },
      { name: 'inga (LV guest of a handoff)', team: 'LV', api: inga },
    );
    for (const v of viewers) {
      const t = await v.api.post('/api/tokens', { name: 'taxii feed' });
      expect(t.status).toBe(201);
      v.token = t.body.token;
    }

    const parent = await alice.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: 'taxii-parent.example.org', tlp: 'CLEAR' });
    const parentId = parent.body.indicator?.id ?? parent.body.id;
    for (const tlp of TLP_LEVELS) {
      for (const rel of RELEASE_SETS) {
        const tag = `${tlp.replace('+', '-')}-${rel.join('') || 'all'}`.toLowerCase();
        const marked: MarkedItem = { marking: { tlp, releasableTo: rel.map((c) => teamId[c]!) }, ownerTeamId: teamId.US! };
        const needle = `taxii-${tag}.leak.example.org`;
        expect((await alice.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: needle, tlp, releasableTo: rel })).status).toBe(201);
        items.push({ kind: 'indicator', needle, marked });
        const comment = `TAXIICOMMENT-${tag}-zq`;
        expect((await alice.post(`/api/workspaces/${ws}/indicators/${parentId}/comments`, { body: comment, tlp, releasableTo: rel })).status).toBe(201);
        items.push({ kind: 'comment', needle: comment, marked });
      }
    }
  }, 60_000);
  afterAll(() => server?.stop());

  const bearer = (token: string) => `Bearer ${token}`;

  /** Every object of a collection, following `next` with a small page so pagination is exercised. */
  async function pullAll(auth: string, collection: string, limit = 7): Promise<{ objects: any[]; pages: number }> {
    const objects: any[] = [];
    let next: string | undefined;
    let pages = 0;
    for (;;) {
      const res = await taxii(server.url, `/taxii2/api/collections/${collection}/objects/?limit=${limit}${next ? `&next=${encodeURIComponent(next)}` : ''}`, auth);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(TAXII);
      expect(typeof res.body.more).toBe('boolean');
      expect(res.body.objects.length).toBeLessThanOrEqual(limit);
      if (res.body.objects.length) {
        expect(res.headers.get('x-taxii-date-added-first')).toMatch(/^\d{4}-\d\d-\d\dT/);
        expect(res.headers.get('x-taxii-date-added-last')).toMatch(/^\d{4}-\d\d-\d\dT/);
      }
      objects.push(...res.body.objects);
      pages++;
      if (!res.body.more) {
        expect(res.body.next).toBeUndefined();
        break;
      }
      expect(typeof res.body.next).toBe('string');
      next = res.body.next;
    }
    return { objects, pages };
  }

  it('refuses callers without a valid token, with WWW-Authenticate, and never reads the session cookie', async () => {
    for (const path of ['/taxii2/', '/taxii2/api/', '/taxii2/api/collections/', `/taxii2/api/collections/${ws}/objects/`]) {
      const none = await taxii(server.url, path, undefined);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/Bearer/);
      expect(none.headers.get('www-authenticate')).toMatch(/Basic/);
      expect(none.headers.get('content-type')).toBe(TAXII);
      expect(none.body).toMatchObject({ http_status: '401' });
      expect(typeof none.body.title).toBe('string');
      expect((await taxii(server.url, path, 'Bearer hrt_not-a-real-token')).status).toBe(401);
      // A logged-in browser's cookie is not a credential here.
      const cookie = await fetch(server.url + path, { headers: { cookie: alice.cookie!, accept: TAXII } });
      expect(cookie.status).toBe(401);
    }
    // A revoked token is dead here at once.
    const made = await alice.post('/api/tokens', { name: 'revoked feed' });
    expect((await taxii(server.url, '/taxii2/api/collections/', `Bearer ${made.body.token}`)).status).toBe(200);
    expect((await alice.delete(`/api/tokens/${made.body.id}`)).status).toBe(200);
    const revoked = await taxii(server.url, '/taxii2/api/collections/', `Bearer ${made.body.token}`);
    expect(revoked.status).toBe(401);
    expect(revoked.body.http_status).toBe('401');
  });

  it('answers discovery, the API root and collections with the fields TAXII 2.1 requires', async () => {
    const auth = bearer(viewers[0]!.token!);
    const discovery = await taxii(server.url, '/taxii2/', auth);
    expect(discovery.status).toBe(200);
    expect(discovery.headers.get('content-type')).toBe(TAXII);
    expect(typeof discovery.body.title).toBe('string');
    expect(discovery.body.api_roots).toEqual([`${server.url}/taxii2/api/`]);
    expect(discovery.body.default).toBe(`${server.url}/taxii2/api/`);

    const root = await taxii(server.url, '/taxii2/api/', auth);
    expect(root.status).toBe(200);
    expect(root.body.versions).toEqual([TAXII]);
    expect(Number.isInteger(root.body.max_content_length)).toBe(true);

    const list = await taxii(server.url, '/taxii2/api/collections/', auth);
    expect(list.status).toBe(200);
    const mine = list.body.collections.find((c: any) => c.id === ws);
    expect(mine).toMatchObject({ id: ws, can_read: true, can_write: false, media_types: ['application/stix+json;version=2.1'] });
    expect(typeof mine.title).toBe('string');
    expect((await taxii(server.url, `/taxii2/api/collections/${ws}/`, auth)).body).toEqual(mine);
  });

  it('accepts application/taxii+json and */*, answers 406 to other Accept values, refuses writes', async () => {
    const auth = bearer(viewers[0]!.token!);
    for (const accept of ['application/taxii+json', '*/*', TAXII, 'application/json, application/taxii+json;version=2.1', null]) {
      expect((await taxii(server.url, '/taxii2/api/collections/', auth, accept)).status).toBe(200);
    }
    for (const accept of ['application/json', 'text/html', 'application/taxii+json;version=2.0', 'application/stix+json;version=2.1']) {
      const res = await taxii(server.url, '/taxii2/api/collections/', auth, accept);
      expect(res.status).toBe(406);
      expect(res.body.http_status).toBe('406');
    }
    const post = await fetch(`${server.url}/taxii2/api/collections/${ws}/objects/`, {
      method: 'POST',
      headers: { authorization: auth, accept: TAXII, 'content-type': 'application/taxii+json;version=2.1' },
      body: JSON.stringify({ objects: [{ type: 'indicator', id: 'indicator--00000000-0000-4000-8000-000000000000' }] }),
    });
    expect(post.status).toBe(405);
    expect((await post.json()).http_status).toBe('405');
  });

  it('hides collections of workspaces the account is not a member of, as not found', async () => {
    const stranger = await loginAs(server.url, 'alice');
    const other = await stranger.post('/api/workspaces', { name: 'alice private', description: '', defaultTlp: 'AMBER' });
    expect(other.status).toBe(201);
    const auth = bearer(viewers[0]!.token!);
    expect((await taxii(server.url, '/taxii2/api/collections/', auth)).body.collections.map((c: any) => c.id)).not.toContain(other.body.id);
    for (const path of [`/taxii2/api/collections/${other.body.id}/`, `/taxii2/api/collections/${other.body.id}/objects/`, `/taxii2/api/collections/${other.body.id}/manifest/`]) {
      const res = await taxii(server.url, path, auth);
      expect(res.status).toBe(404);
      expect(res.body.http_status).toBe('404');
    }
  });

  it('each viewer pulls over TAXII exactly what its team may see (Bearer and Basic)', async () => {
    for (const v of viewers) {
      const collections = (await taxii(server.url, '/taxii2/api/collections/', bearer(v.token!))).body.collections as { id: string }[];
      expect(collections.map((c) => c.id)).toContain(ws);
      let text = '';
      for (const c of collections) {
        const { objects, pages } = await pullAll(bearer(v.token!), c.id);
        if (c.id === ws) expect(pages).toBeGreaterThan(1);
        expect(new Set(objects.map((o) => o.id)).size).toBe(objects.length);
        text += JSON.stringify(objects);
      }
      for (const item of items) {
        const visible = canSee(teamId[v.team]!, item.marked);
        if (item.kind === 'indicator') expect(text.includes(item.needle), `${v.name}: ${item.needle}`).toBe(visible);
        else if (!visible) expect(text.includes(item.needle), `${v.name}: ${item.needle}`).toBe(false);
      }
      // HTTP Basic with the token as password gives the same view (the user name is ignored).
      const basic = `Basic ${Buffer.from(`anyone:${v.token}`).toString('base64')}`;
      const viaBasic = await pullAll(basic, ws, 1000);
      const viaBearer = await pullAll(bearer(v.token!), ws, 1000);
      expect(viaBasic.objects.map((o) => o.id).sort()).toEqual(viaBearer.objects.map((o) => o.id).sort());
    }
  }, 60_000);

  it('filters by added_after, match[type] and match[id]; reads one object; lists the manifest', async () => {
    const auth = bearer(viewers[0]!.token!);
    const all = (await pullAll(auth, ws, 1000)).objects;
    const indicators = all.filter((o) => o.type === 'indicator');
    expect(indicators.length).toBeGreaterThan(2);

    const typed = await taxii(server.url, `/taxii2/api/collections/${ws}/objects/?match[type]=indicator`, auth);
    expect(typed.body.objects.map((o: any) => o.type)).toEqual(indicators.map(() => 'indicator'));

    const one = indicators[1];
    const byMatch = await taxii(server.url, `/taxii2/api/collections/${ws}/objects/?match[id]=${one.id}`, auth);
    expect(byMatch.body.objects).toEqual([one]);
    const byPath = await taxii(server.url, `/taxii2/api/collections/${ws}/objects/${one.id}/`, auth);
    expect(byPath.status).toBe(200);
    expect(byPath.body.objects).toEqual([one]);
    expect((await taxii(server.url, `/taxii2/api/collections/${ws}/objects/indicator--00000000-0000-4000-8000-000000000000/`, auth)).status).toBe(404);

    const manifest = await taxii(server.url, `/taxii2/api/collections/${ws}/manifest/?limit=1000`, auth);
    expect(manifest.status).toBe(200);
    expect(manifest.body.objects.map((m: any) => m.id).sort()).toEqual(all.map((o) => o.id).sort());
    for (const m of manifest.body.objects) {
      expect(m).toMatchObject({ media_type: 'application/stix+json;version=2.1' });
      expect(Date.parse(m.date_added)).not.toBeNaN();
      expect(Date.parse(m.version)).not.toBeNaN();
    }

    // An indicator changed after a point in time is the only indicator newer than that point.
    const cut = new Date(Date.now() - 1).toISOString();
    await new Promise((r) => setTimeout(r, 5));
    const list = (await alice.get(`/api/workspaces/${ws}/indicators?limit=500`)).body;
    const target = (list.indicators ?? list.items).find((i: any) => i.value === 'taxii-clear-all.leak.example.org');
    expect((await alice.patch(`/api/workspaces/${ws}/indicators/${target.id}`, { status: 'confirmed' })).status).toBe(200);
    const after = await taxii(server.url, `/taxii2/api/collections/${ws}/objects/?match[type]=indicator&added_after=${encodeURIComponent(cut)}`, auth);
    expect(after.body.objects.map((o: any) => o.name)).toEqual(['taxii-clear-all.leak.example.org']);
    expect(Date.parse(after.headers.get('x-taxii-date-added-first')!)).toBeGreaterThan(Date.parse(cut));

    for (const q of ['limit=0', 'limit=abc', 'added_after=yesterday', 'next=garbage']) {
      const res = await taxii(server.url, `/taxii2/api/collections/${ws}/objects/?${q}`, auth);
      expect(res.status, q).toBe(400);
      expect(res.body.http_status).toBe('400');
    }
  });
  it("pages hold while records change: a cursor inside one indicator's objects, an indicator changed between pages comes again, nothing is skipped", async () => {
    const auth = bearer(viewers[0]!.token!);
    const before = (await pullAll(auth, ws, 1000)).objects;
    // The parent indicator holds a note per comment CA may see: small pages stop inside it.
    expect(before.filter((o) => o.type === 'note').length).toBeGreaterThan(2);
    const first = await taxii(server.url, `/taxii2/api/collections/${ws}/objects/?limit=2`, auth);
    expect(first.body.more).toBe(true);
    const changed = first.body.objects.find((o: any) => o.type === 'indicator');
    expect(changed).toBeDefined();
    const list = (await alice.get(`/api/workspaces/${ws}/indicators?limit=500`)).body;
    const target = (list.indicators ?? list.items).find((i: any) => i.value === changed.name);
    expect((await alice.patch(`/api/workspaces/${ws}/indicators/${target.id}`, { status: 'investigating', confidence: 77 })).status).toBe(200);

    const seen: any[] = [...first.body.objects];
    let next: string | undefined = first.body.next;
    while (next) {
      const res = await taxii(server.url, `/taxii2/api/collections/${ws}/objects/?limit=2&next=${encodeURIComponent(next)}`, auth);
      expect(res.status).toBe(200);
      expect(res.body.objects.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.objects);
      next = res.body.more ? res.body.next : undefined;
    }
    const ids = new Set(seen.map((o) => o.id));
    for (const o of before) expect(ids.has(o.id), o.id).toBe(true);
    // Served once as it was, and once more, after the cursor, as it is now.
    const versions = seen.filter((o) => o.id === changed.id);
    expect(versions).toHaveLength(2);
    expect(versions[1].confidence).toBe(77);
    expect(Date.parse(versions[1].modified)).toBeGreaterThan(Date.parse(versions[0].modified));
  });

  it("reads objects by id (path and match[id]) as the walk serves them; another team's hidden indicator by id answers exactly like a missing one", async () => {
    // One indicator every team sees and one kept to US, each with a technique (a relationship) and a sighting.
    const add = async (value: string, tlp: string, releasableTo: string[]) => {
      const res = await alice.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value, tlp, releasableTo, techniques: ['T1566'] });
      expect(res.status).toBe(201);
      const id = res.body.indicator?.id ?? res.body.id;
      expect((await alice.post(`/api/workspaces/${ws}/indicators/${id}/sightings`, { context: 'mail gateway' })).status).toBe(201);
    };
    await add('taxii-byid-shared.example.org', 'CLEAR', []);
    await add('taxii-byid-hidden.example.org', 'RED', ['US']);
    const own = (objects: any[], value: string) => {
      const ind = objects.find((o) => o.type === 'indicator' && o.name === value);
      expect(ind, value).toBeDefined();
      return objects.filter((o) => o.id === ind.id || o.source_ref === ind.id || o.sighting_of_ref === ind.id);
    };
    const usToken = (await alice.post('/api/tokens', { name: 'taxii by id' })).body.token as string;
    const hidden = own((await pullAll(bearer(usToken), ws, 1000)).objects, 'taxii-byid-hidden.example.org');
    expect(hidden.map((o) => o.type).sort()).toEqual(['indicator', 'relationship', 'sighting']);

    const ben = bearer(viewers[0]!.token!);
    const walk = (await pullAll(ben, ws, 1000)).objects;
    expect(walk.some((o) => hidden.some((h) => h.id === o.id))).toBe(false);
    const shared = own(walk, 'taxii-byid-shared.example.org');
    expect(shared.map((o) => o.type).sort()).toEqual(['indicator', 'relationship', 'sighting']);
    // A note of the parent and an identity (a closing object) too: every kind of object is found by its id.
    const note = walk.find((o) => o.type === 'note')!;
    const identity = walk.find((o) => o.type === 'identity')!;
    for (const o of [...shared, note, identity]) {
      const byPath = await taxii(server.url, `/taxii2/api/collections/${ws}/objects/${o.id}/`, ben);
      expect(byPath.status, o.id).toBe(200);
      expect(byPath.body.objects, o.id).toEqual([o]);
    }
    const many = [...shared, note].map((o) => o.id);
    const byMatch = await taxii(server.url, `/taxii2/api/collections/${ws}/objects/?match[id]=${many.join(',')}`, ben);
    expect(byMatch.body).toEqual({ more: false, objects: walk.filter((o) => many.includes(o.id)) });
    // A page of one by id follows `next` as the walk does.
    const paged = await taxii(server.url, `/taxii2/api/collections/${ws}/objects/?limit=1&match[id]=${many.join(',')}`, ben);
    expect(paged.body.more).toBe(true);
    const rest = await taxii(server.url, `/taxii2/api/collections/${ws}/objects/?limit=1000&match[id]=${many.join(',')}&next=${encodeURIComponent(paged.body.next)}`, ben);
    expect([...paged.body.objects, ...rest.body.objects]).toEqual(walk.filter((o) => many.includes(o.id)));

    // Hidden and missing: the same status, body (but the id it names) and envelope.
    for (const h of hidden) {
      const missingId = `${h.type}--00000000-0000-4000-8000-00000000abcd`;
      const [seen, missing] = [
        await taxii(server.url, `/taxii2/api/collections/${ws}/objects/${h.id}/`, ben),
        await taxii(server.url, `/taxii2/api/collections/${ws}/objects/${missingId}/`, ben),
      ];
      expect(seen.status, h.id).toBe(404);
      expect(missing.status).toBe(404);
      expect(JSON.stringify(seen.body).replace(h.id, 'ID')).toBe(JSON.stringify(missing.body).replace(missingId, 'ID'));
      const [seenMatch, missingMatch] = [
        await taxii(server.url, `/taxii2/api/collections/${ws}/objects/?match[id]=${h.id}`, ben),
        await taxii(server.url, `/taxii2/api/collections/${ws}/objects/?match[id]=${missingId}`, ben),
      ];
      expect(seenMatch.status).toBe(200);
      expect(seenMatch.body).toEqual({ more: false, objects: [] });
      expect(missingMatch.body).toEqual(seenMatch.body);
    }
  });
});

describe('TAXII 2.1 feed limits', () => {
  let server: TestServer;
  afterAll(() => server?.stop());

  it('counts object reads against the per-account export limit and answers 429 as a TAXII error with Retry-After', async () => {
    server = await startTestServer({ EXPORTS_PER_MINUTE_PER_ACCOUNT: '2' });
    const alice = await loginAs(server.url, 'alice');
    const token = (await alice.post('/api/tokens', { name: 'feed' })).body.token as string;
    const path = `/taxii2/api/collections/${server.demo!.workspaceId}/objects/`;
    expect((await taxii(server.url, path, `Bearer ${token}`)).status).toBe(200);
    expect((await taxii(server.url, path, `Bearer ${token}`)).status).toBe(200);
    const third = await taxii(server.url, path, `Bearer ${token}`);
    expect(third.status).toBe(429);
    expect(third.headers.get('content-type')).toBe(TAXII);
    expect(third.headers.get('retry-after')).toBeTruthy();
    expect(third.body.http_status).toBe('429');
    // Discovery and collections build nothing and stay open.
    expect((await taxii(server.url, '/taxii2/api/collections/', `Bearer ${token}`)).status).toBe(200);
  });
});

// The keyset query (updated_at, id) on PostgreSQL too, where text order follows the database's collation.
describe.skipIf(!TEST_DATABASE_URL)('TAXII 2.1 paging on PostgreSQL', () => {
  let server: TestServer;
  afterAll(() => server?.stop());

  it('walks every indicator once with small pages, and added_after brings only what changed', async () => {
    server = await startPostgresTestServer();
    const ws = server.demo!.workspaceId;
    const alice = await loginAs(server.url, 'alice');
    const values = Array.from({ length: 30 }, (_, i) => `pg-page-${String(i).padStart(2, '0')}.taxii.example.org`);
    expect((await alice.post(`/api/workspaces/${ws}/indicators/bulk`, { items: values.map((value) => ({ type: 'domain', value, tlp: 'GREEN' })) })).status).toBe(201);
    const auth = `Bearer ${(await alice.post('/api/tokens', { name: 'pg feed' })).body.token}`;
    const seen: any[] = [];
    let next: string | undefined;
    do {
      const res = await taxii(server.url, `/taxii2/api/collections/${ws}/objects/?limit=4${next ? `&next=${encodeURIComponent(next)}` : ''}`, auth);
      expect(res.status).toBe(200);
      expect(res.body.objects.length).toBeLessThanOrEqual(4);
      seen.push(...res.body.objects);
      next = res.body.more ? res.body.next : undefined;
    } while (next);
    expect(new Set(seen.map((o) => o.id)).size).toBe(seen.length);
    const names = new Set(seen.filter((o) => o.type === 'indicator').map((o) => o.name));
    for (const v of values) expect(names.has(v), v).toBe(true);

    const cut = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    const target = ((await alice.get(`/api/workspaces/${ws}/indicators?limit=500`)).body.items as any[]).find((i) => i.value === values[7]);
    expect((await alice.patch(`/api/workspaces/${ws}/indicators/${target.id}`, { status: 'confirmed' })).status).toBe(200);
    const after = await taxii(server.url, `/taxii2/api/collections/${ws}/objects/?match[type]=indicator&added_after=${encodeURIComponent(cut)}`, auth);
    expect(after.body.objects.map((o: any) => o.name)).toEqual([values[7]]);
  });
});

/**
 * The audit trail names its items (issue 19): a row about an indicator, a note or a host carries the
 * item's value or title, only when the reader's team may see the item now; the row's actor comes with
 * a display name. A value the reader's team may not see appears nowhere in its trail; a deleted item
 * keeps its bare id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, type ApiClient } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

interface Entry {
  action: string;
  actorDisplayName: string | null;
  detail: Record<string, unknown>;
  subjects: { kind: string; id: string; label?: string }[];
}

describe('audit trail: items by name, as far as the reader may see them', () => {
  let server: TestServer;
  let alice: ApiClient;
  let ben: ApiClient;
  let ws: string;
  const url = (p: string) => `/api/workspaces/${ws}/${p}`;
  const trail = async (who: ApiClient) => {
    const res = await who.get(url('audit'));
    expect(res.status).toBe(200);
    return res.body.entries as Entry[];
  };

  beforeAll(async () => {
    server = await startTestServer();
    ws = server.demo!.workspaceId;
    [alice, ben] = await Promise.all([loginAs(server.url, 'alice'), loginAs(server.url, 'ben')]);
    // ben (CA) is made an owner too: owners read the trail.
    expect((await alice.patch(url('members/ben'), { role: 'owner' })).status).toBe(200);
  });
  afterAll(() => server?.stop());

  it('names shared items for everyone, hides US-only ones from CA, keeps a deleted item as its id', async () => {
    const shared = await alice.post(url('indicators'), { type: 'domain', value: 'named-shared.example.org', tlp: 'AMBER' });
    const usOnly = await alice.post(url('indicators'), { type: 'domain', value: 'named-us-only.example.org', tlp: 'AMBER', releasableTo: ['US'] });
    const gone = await alice.post(url('indicators'), { type: 'domain', value: 'named-gone.example.org', tlp: 'AMBER' });
    const note = await alice.post(url('notes'), { title: 'Named note title', marking: { tlp: 'AMBER', releasableTo: [] } });
    for (const r of [shared, usOnly, gone, note]) expect(r.status).toBe(201);
    expect((await alice.delete(url(`indicators/${gone.body.indicator.id}`))).status).toBe(200);

    const forBen = await trail(ben);
    const text = JSON.stringify(forBen);
    expect(text).not.toContain('named-us-only');
    expect(text).not.toContain(usOnly.body.indicator.id);
    const created = forBen.find((e) => e.action === 'indicator.created' && e.subjects.some((s) => s.id === shared.body.indicator.id));
    expect(created).toMatchObject({ actorDisplayName: 'Alice Carter', subjects: [{ kind: 'indicator', label: 'named-shared.example.org' }] });
    expect(forBen.find((e) => e.action === 'note.created')?.subjects).toEqual([{ kind: 'document', id: note.body.id, label: 'Named note title' }]);
    const deleted = forBen.filter((e) => e.subjects.some((s) => s.id === gone.body.indicator.id));
    expect(deleted.length).toBeGreaterThan(0);
    for (const e of deleted) expect(e.subjects[0]!.label).toBeUndefined();
    expect(text).not.toContain('named-gone');

    const forAlice = await trail(alice);
    expect(forAlice.some((e) => e.subjects.some((s) => s.label === 'named-us-only.example.org'))).toBe(true);
  });
});

/**
 * Who may open a document, decided at the upgrade before the socket opens (401/403/404, never a
 * byte of content), and what an observer may do once in: read, be present, but never write.
 */
import { approvedInvite } from '../helpers/foundation.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { ApiClient, loginAs } from '../helpers/http.js';
import { connect, eventually, rawSocket, startCollabServer, synced, upgradeStatus, wsUrl } from '../helpers/yjs.js';
import type { TestServer } from '../helpers/server.js';

describe('collab: access', () => {
  let server: TestServer;
  let alice: ApiClient;
  let ben: ApiClient;
  let liga: ApiClient;
  let ws: string;
  let teams: Record<string, string>;
  beforeAll(async () => {
    server = await startCollabServer();
    [alice, ben, liga] = await Promise.all([loginAs(server.url, 'alice'), loginAs(server.url, 'ben'), loginAs(server.url, 'liga')]);
    ws = server.demo!.workspaceId;
    const list = await alice.get('/api/teams');
    teams = Object.fromEntries((list.body.teams as { id: string; code: string }[]).map((t) => [t.code, t.id]));
  });
  afterAll(() => server.stop());

  const note = async (by: ApiClient, workspaceId: string, body: object) => {
    const res = await by.post(`/api/workspaces/${workspaceId}/notes`, body);
    expect(res.status).toBe(201);
    return res.body.docId as string;
  };

  it('refuses an unauthenticated, foreign-origin, non-member or wrong-ticket upgrade with an HTTP status', async () => {
    const docId = await note(alice, ws, { title: 'open to all teams' });
    const url = `${wsUrl(server.url)}/${docId}`;
    expect(await upgradeStatus(url)).toBe(401);
    expect(await upgradeStatus(url, { cookie: 'huntroom_session=forged' })).toBe(401);
    expect(await upgradeStatus(url, { cookie: alice.cookie!, origin: 'https://evil.example' })).toBe(403);
    expect(await upgradeStatus(url, { cookie: alice.cookie!, origin: server.url })).toBe(101);
    expect(await upgradeStatus(`${wsUrl(server.url)}/no-such-doc`, { cookie: alice.cookie! })).toBe(404);
    expect(await upgradeStatus(`${url}?ticket=${'x'.repeat(40)}`)).toBe(401);
    // A ticket is bound to its document.
    const other = await note(alice, ws, { title: 'other' });
    const t = await alice.post(`/api/docs/${other}/ticket`);
    expect(t.status).toBe(201);
    expect(await upgradeStatus(`${url}?ticket=${encodeURIComponent(t.body.ticket)}`)).toBe(401);
    expect(await upgradeStatus(`${wsUrl(server.url)}/${other}?ticket=${encodeURIComponent(t.body.ticket)}`)).toBe(101);
    // Non-member: alice's private workspace, which ben is not in.
    const priv = await alice.post('/api/workspaces', { name: 'US only' });
    const privDoc = await note(alice, priv.body.id, { title: 'private' });
    expect(await upgradeStatus(`${wsUrl(server.url)}/${privDoc}`, { cookie: ben.cookie! })).toBe(404);
    expect((await ben.post(`/api/docs/${privDoc}/ticket`)).status).toBe(404);
  });

  it('refuses a member whose team the marking is not releasable to, and hides the note from listings', async () => {
    const red = await note(alice, ws, { title: 'RED for CA', marking: { tlp: 'RED', releasableTo: [teams.CA] } });
    const url = `${wsUrl(server.url)}/${red}`;
    // 404 as for a missing document: the refusal does not tell that the note exists (issue 15).
    expect(await upgradeStatus(url, { cookie: liga.cookie! })).toBe(404);
    expect(await upgradeStatus(url, { cookie: ben.cookie! })).toBe(101);
    expect((await liga.post(`/api/docs/${red}/ticket`)).status).toBe(404);
    const listed = (await liga.get(`/api/workspaces/${ws}/notes`)).body.notes as { id: string }[];
    expect(listed.map((n) => n.id)).not.toContain(red);
    expect(((await ben.get(`/api/workspaces/${ws}/notes`)).body.notes as { id: string }[]).map((n) => n.id)).toContain(red);
  });

  it('closes the sockets of a team that loses sight of a note when its marking narrows (4403)', async () => {
    const id = await note(alice, ws, { title: 'narrowing' });
    const b = connect(server, id, ben);
    const l = connect(server, id, liga);
    await Promise.all([synced(b), synced(l)]);
    const closes: number[] = [];
    l.provider.on('connection-close', (e) => closes.push(e?.code ?? 0));
    const res = await alice.patch(`/api/workspaces/${ws}/notes/${id}`, { marking: { tlp: 'RED', releasableTo: [teams.CA] } });
    expect(res.status).toBe(200);
    await eventually(() => expect(closes).toContain(4403));
    expect(l.provider.shouldConnect).toBe(false); // 44xx: y-websocket does not retry
    b.text.insert(0, 'still here');
    await new Promise((r) => setTimeout(r, 100));
    expect(l.text.toString()).toBe('');
    expect(b.provider.wsconnected).toBe(true);
    b.destroy();
    l.destroy();
  });

  it("drops an observer's updates and sync step 2 but answers its sync and shows its presence", async () => {
    // A partner official: joins through an observer invite, then a second observer is added by an
    // owner through POST /members (ben's team mate would do; here liga is re-added as observer).
    const invite = { body: await approvedInvite(alice, ws, { role: 'observer', team: 'LV', expiresInHours: 1 }) };
    const observer = new ApiClient(server.url);
    const accepted = await observer.post(`/api/invites/${invite.body.token}/accept`, { username: 'olga', password: 'olga-partner-official' });
    expect(accepted.status).toBe(201);
    expect(accepted.body.member.role).toBe('observer');
    expect((await alice.delete(`/api/workspaces/${ws}/members/liga`)).status).toBe(200);
    expect((await alice.post(`/api/workspaces/${ws}/members`, { username: 'liga', role: 'observer' })).status).toBe(201);
    expect(await upgradeStatus(`${wsUrl(server.url)}/${await note(alice, ws, { title: 'x' })}`, { cookie: liga.cookie! })).toBe(101);
    const id = await note(alice, ws, { title: 'observed' });
    const editor = connect(server, id, alice);
    await synced(editor);
    editor.text.insert(0, 'hunter text');
    const o = connect(server, id, observer);
    await synced(o);
    await eventually(() => expect(o.text.toString()).toBe('hunter text'));
    // The observer's provider sends its edit as an ordinary update; the server must drop it.
    o.text.insert(0, 'OBSERVER WAS HERE ');
    // Present, under the name and team of its session whatever it claims (presence.ts).
    o.provider.awareness.setLocalStateField('user', { name: 'observer', team: 'US' });
    await eventually(() => expect(editor.provider.awareness.getStates().get(o.doc.clientID)?.user).toMatchObject({ username: 'olga', team: 'LV' }));
    // Hand-made sync step 2 from a raw socket (the classic read-only bypass).
    const raw = rawSocket(server, id, observer.cookie);
    await raw.opened;
    const rogue = new Y.Doc();
    rogue.getText('t').insert(0, 'STEP2 BYPASS ');
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 1); // sync step 2
    encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(rogue));
    raw.ws.send(encoding.toUint8Array(e));
    editor.text.insert(editor.text.length, ' more');
    await eventually(() => expect(o.text.toString()).toContain('hunter text more'));
    await new Promise((r) => setTimeout(r, 150));
    expect(editor.text.toString()).toBe('hunter text more');
    // A fresh client sees only what hunters wrote: nothing of the observer's reached storage.
    const fresh = connect(server, id, ben);
    await synced(fresh);
    expect(fresh.text.toString()).toBe('hunter text more');
    raw.ws.close();
    for (const c of [editor, o, fresh]) c.destroy();
  });
});

/**
 * Live handoff sessions with real socket.io clients: an owner starts one for LV and gets an expiring
 * guest link, which LV's admin approves (the owner is not one); an official joins through it as a guest, attends, and follows the presenter's view (a location,
 * never content; an open indicator's id only when the recipient may see it); only the presenter sets the view; other teams cannot join; ending it revokes the
 * link and empties the room.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { connect, eventually, login, type Client } from './indicators-helpers.js';

/** A created indicator's id (the command's result). */
const idOf = (body: { id?: string; indicator?: { id: string } }): string => body.indicator?.id ?? body.id!;

describe('live handoff sessions', () => {
  let server: TestServer;
  let ws: string;
  const clients: Client[] = [];
  beforeAll(async () => {
    server = await startTestServer();
    ws = server.demo!.workspaceId;
  });
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await server.stop();
  });
  const open = async (api: ApiClient) => {
    const c = await connect(server.url, api, ws);
    clients.push(c);
    return c;
  };

  it('an official joins by link, attends and follows the presenter; the end revokes the link', async () => {
    const alice = await login(server.url, 'alice');
    const ben = await login(server.url, 'ben');
    expect((await ben.post(`/api/workspaces/${ws}/handoffs`, { recipient: 'LV' })).status).toBe(403); // hunters do not start handoffs
    expect((await alice.post(`/api/workspaces/${ws}/handoffs`, { recipient: 'ZZ' })).status).toBe(400);
    expect((await alice.post(`/api/workspaces/${ws}/handoffs`, { recipient: 'LV', expiresInHours: 1000 })).status).toBe(400);

    const presenterSocket = await open(alice);
    const started = await alice.post(`/api/workspaces/${ws}/handoffs`, { recipient: 'LV', expiresInHours: 2 });
    expect(started.status).toBe(201);
    const { session, inviteUrl } = started.body as { session: { id: string; recipient: { code: string } }; inviteUrl: string };
    expect(session.recipient.code).toBe('LV');
    expect(inviteUrl).toMatch(/\/invite\/hri_/);
    const token = inviteUrl.split('/invite/')[1]!;

    // alice is not an admin of LV: the link creates no LV account until LV's admin approves it, and
    // both sides see the pending request.
    expect(started.body.approval).toBe('pending');
    const official = new ApiClient(server.url);
    const early = await official.post(`/api/invites/${token}/accept`, { username: 'inga', password: 'partner-official-pass', displayName: 'Inga Berzina' });
    expect(early.status).toBe(403);
    expect(early.body.error.message).toMatch(/approval by the admins of team LV/);
    const pendingForOwner = (await alice.get(`/api/workspaces/${ws}/invites`)).body.invites as { id: string; role: string; approval: string; handoffId: string }[];
    const request = pendingForOwner.find((i) => i.handoffId === session.id)!;
    expect(request).toMatchObject({ role: 'guest', approval: 'pending' });
    const liga = await login(server.url, 'liga');
    expect(((await liga.get('/api/invite-requests')).body.requests as { id: string }[]).map((r) => r.id)).toContain(request.id);
    expect((await liga.post(`/api/invite-requests/${request.id}`, { decision: 'approve' })).status).toBe(200);

    // The official opens the link: a guest of LV, bound to this session.
    const accepted = await official.post(`/api/invites/${token}/accept`, { username: 'inga', password: 'partner-official-pass', displayName: 'Inga Berzina' });
    expect(accepted.status).toBe(201);
    expect(accepted.body.member.role).toBe('guest');
    expect(((await alice.get(`/api/workspaces/${ws}/members`)).body.members as { username: string; role: string }[]).find((m) => m.username === 'inga')?.role).toBe('guest');
    expect((await official.get(`/api/workspaces/${ws}/handoffs`)).body.sessions.map((s: { id: string }) => s.id)).toEqual([session.id]);
    // Ben (CA) is not the recipient: the session is not listed for him and he cannot join it.
    expect((await ben.get(`/api/workspaces/${ws}/handoffs`)).body.sessions).toEqual([]);
    const benSocket = await open(ben);
    expect(await benSocket.socket.emitWithAck('handoff:join', { sessionId: session.id })).toMatchObject({ ok: false, error: { code: 'not_found' } });

    const o = await open(official);
    const attended: string[][] = [];
    const views: unknown[] = [];
    o.socket.on('handoff:attended', (e: { attendees: { displayName: string }[] }) => attended.push(e.attendees.map((a) => a.displayName)));
    o.socket.on('handoff:viewed', (e: { view: unknown }) => views.push(e.view));
    expect(await presenterSocket.socket.emitWithAck('handoff:join', { sessionId: session.id })).toMatchObject({ ok: true });
    expect(await o.socket.emitWithAck('handoff:join', { sessionId: session.id })).toMatchObject({ ok: true, data: { session: { id: session.id } } });
    await eventually(() => expect(attended.at(-1)).toEqual(['Alice Carter', 'Inga Berzina']));

    // The view names the item open in the area; an indicator's id reaches the room only when LV may see it.
    const forLv = await alice.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: 'handoff-item-lv.example.net', tlp: 'AMBER', releasableTo: ['LV'] });
    const strict = await alice.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: 'handoff-item-strict.example.net', tlp: 'AMBER+STRICT' });
    expect([forLv.status, strict.status]).toEqual([201, 201]);
    const view = { path: `/w/${ws}/indicators`, item: idOf(forLv.body), scroll: 0.25, scrollX: 0 };
    expect(await presenterSocket.socket.emitWithAck('handoff:view', { sessionId: session.id, view })).toEqual({ ok: true });
    await eventually(() => expect(views).toEqual([view]));
    const strictView = { ...view, item: idOf(strict.body), scroll: 0.5 };
    expect(await presenterSocket.socket.emitWithAck('handoff:view', { sessionId: session.id, view: strictView })).toEqual({ ok: true });
    await eventually(() => expect(views.at(-1)).toEqual({ path: view.path, scroll: 0.5, scrollX: 0 }));
    const technique = { path: `/w/${ws}/attack`, item: 'T1059.001', scroll: 0, scrollX: 0.4 };
    expect(await presenterSocket.socket.emitWithAck('handoff:view', { sessionId: session.id, view: technique })).toEqual({ ok: true });
    await eventually(() => expect(views.at(-1)).toEqual(technique));
    expect(await presenterSocket.socket.emitWithAck('handoff:view', { sessionId: session.id, view: { ...view, item: 'x/../../y' } })).toMatchObject({
      ok: false,
      error: { code: 'validation_failed' },
    });
    expect(await presenterSocket.socket.emitWithAck('handoff:view', { sessionId: session.id, view: { ...view, path: `/w/${ws}x/indicators` } })).toMatchObject({
      ok: false,
      error: { code: 'validation_failed' },
    });
    expect(JSON.stringify(views)).not.toContain(idOf(strict.body));
    views.length = 0;
    // Only the presenter sets the view, only inside the workspace, and only in the view's shape.
    expect(await o.socket.emitWithAck('handoff:view', { sessionId: session.id, view })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await presenterSocket.socket.emitWithAck('handoff:view', { sessionId: session.id, view: { ...view, path: '/w/another-workspace/notes' } })).toMatchObject({ ok: false });
    expect(await presenterSocket.socket.emitWithAck('handoff:view', { sessionId: session.id, view: { path: 'https://evil.example/', scroll: 0 } })).toMatchObject({
      ok: false,
      error: { code: 'validation_failed' },
    });
    expect(await presenterSocket.socket.emitWithAck('handoff:view', { sessionId: session.id, view: { ...view, text: 'secret' } })).toEqual({ ok: true });
    await eventually(() => expect(views).toHaveLength(1));
    expect(JSON.stringify(views[0])).not.toContain('secret'); // unknown fields are not relayed

    // The official leaves (closes the tab): attendance shrinks for the presenter.
    const presenterSaw: string[][] = [];
    presenterSocket.socket.on('handoff:attended', (e: { attendees: { displayName: string }[] }) => presenterSaw.push(e.attendees.map((a) => a.displayName)));
    o.close();
    await eventually(() => expect(presenterSaw.at(-1)).toEqual(['Alice Carter']));

    // The end: the link is revoked, the room emptied, joining refused.
    const ended: string[] = [];
    benSocket.socket.on('handoff:ended', (e: { sessionId: string }) => ended.push(e.sessionId));
    expect((await ben.post(`/api/workspaces/${ws}/handoffs/${session.id}/end`)).status).toBe(403);
    expect((await alice.post(`/api/workspaces/${ws}/handoffs/${session.id}/end`)).status).toBe(200);
    expect((await alice.post(`/api/workspaces/${ws}/handoffs/${session.id}/end`)).status).toBe(409);
    await eventually(() => expect(ended).toEqual([session.id]));
    expect((await new ApiClient(server.url).get(`/api/invites/${token}`)).status).toBe(410);
    expect((await alice.get(`/api/workspaces/${ws}/handoffs`)).body.sessions).toEqual([]);
    expect(await presenterSocket.socket.emitWithAck('handoff:join', { sessionId: session.id })).toMatchObject({ ok: false, error: { code: 'gone' } });
    // The guest membership went with the session: the official no longer reads the workspace.
    expect((await official.get(`/api/workspaces/${ws}`)).status).toBe(404);
    expect((await official.get(`/api/workspaces/${ws}/indicators`)).status).toBe(404);
    expect(((await alice.get(`/api/workspaces/${ws}/members`)).body.members as { username: string }[]).map((m) => m.username)).not.toContain('inga');
    const audit = ((await alice.get(`/api/workspaces/${ws}/audit`)).body.entries as { action: string }[]).map((e) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['handoff.started', 'handoff.ended', 'invite.approved', 'handoff.guests_removed']));
  });
});

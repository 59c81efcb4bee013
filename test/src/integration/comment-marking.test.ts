/**
 * A comment's marking changed after the fact (`comment:remark`): narrowed, the teams that lose sight
 * get a revoke and find it nowhere (detail, catch-up); widened, the new readers get it live. Only its
 * team or an owner may change it; audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { connect, eventually, login, type Client } from './indicators-helpers.js';

describe('comment markings', () => {
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

  it('narrowing revokes it from the teams that lose sight; widening delivers it live', async () => {
    const [alice, ben, liga] = await Promise.all(['alice', 'ben', 'liga'].map((u) => login(server.url, u)));
    const [a, b, l] = await Promise.all([alice!, ben!, liga!].map((api) => connect(server.url, api, ws)));
    clients.push(a!, b!, l!);
    const ind = await alice!.post(`/api/workspaces/${ws}/indicators`, { type: 'domain', value: 'comment-target.example.org', tlp: 'CLEAR' });
    const indicatorId = ind.body.indicator?.id ?? ind.body.id;
    const made = await alice!.post(`/api/workspaces/${ws}/indicators/${indicatorId}/comments`, { body: 'REMARKED-COMMENT-881', tlp: 'AMBER', releasableTo: ['CA'] });
    expect(made.status).toBe(201);
    const commentId = made.body.comment.id as string;
    await eventually(() => expect(b!.raw.join('\n')).toContain('REMARKED-COMMENT-881'));
    expect(l!.raw.join('\n')).not.toContain('REMARKED-COMMENT-881');

    expect((await ben!.patch(`/api/workspaces/${ws}/indicators/${indicatorId}/comments/${commentId}`, { tlp: 'CLEAR' })).status).toBe(403);
    expect((await liga!.patch(`/api/workspaces/${ws}/indicators/${indicatorId}/comments/${commentId}`, { tlp: 'CLEAR' })).status).toBe(404);
    expect((await alice!.patch(`/api/workspaces/${ws}/indicators/${indicatorId}/comments/${commentId}`, { tlp: 'PURPLE' })).status).toBe(400);

    // Narrowed to US only: Ben is told, and finds it nowhere after.
    const benFramesBefore = b!.raw.length;
    expect((await alice!.patch(`/api/workspaces/${ws}/indicators/${indicatorId}/comments/${commentId}`, { tlp: 'AMBER+STRICT' })).status).toBe(200);
    await eventually(() =>
      expect(
        b!.events.some((e) => e.type === 'indicator:revoked' && (e.payload as { kind?: string; id?: string }).kind === 'comment' && (e.payload as { id: string }).id === commentId),
      ).toBe(true),
    );
    expect(b!.raw.slice(benFramesBefore).join('\n')).not.toContain('REMARKED-COMMENT-881');
    expect(JSON.stringify((await ben!.get(`/api/workspaces/${ws}/indicators/${indicatorId}`)).body)).not.toContain('REMARKED-COMMENT-881');
    expect(JSON.stringify(await b!.socket.emitWithAck('sync', { workspaceId: ws, sinceSeq: 0 }))).not.toContain('REMARKED-COMMENT-881');
    expect(JSON.stringify((await ben!.get(`/api/workspaces/${ws}/events?since=0`)).body)).not.toContain('REMARKED-COMMENT-881');

    // Widened to LV: Liga gets it live, and on reads.
    expect((await alice!.patch(`/api/workspaces/${ws}/indicators/${indicatorId}/comments/${commentId}`, { tlp: 'AMBER', releasableTo: ['LV'] })).status).toBe(200);
    await eventually(() => expect(l!.raw.join('\n')).toContain('REMARKED-COMMENT-881'));
    expect(JSON.stringify((await liga!.get(`/api/workspaces/${ws}/indicators/${indicatorId}`)).body)).toContain('REMARKED-COMMENT-881');
    expect(JSON.stringify((await ben!.get(`/api/workspaces/${ws}/indicators/${indicatorId}`)).body)).not.toContain('REMARKED-COMMENT-881');
    const audit = (await alice!.get(`/api/workspaces/${ws}/audit`)).body.entries as { action: string }[];
    expect(audit.filter((e) => e.action === 'indicator.comment_marking_changed')).toHaveLength(2);
  });
});

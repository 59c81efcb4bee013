/**
 * Bulk marking and bulk delete of indicators (the board's selection), and comment authors: who may,
 * what a refusal leaves (nothing changed), and that ids the caller cannot see are never touched nor
 * named. Real server, real socket.io clients, REST beside them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, eventually, observer, settle, startTwoTeams, type Client, type TwoTeams } from './indicators-helpers.js';

describe('bulk indicator commands: authorization', () => {
  let t: TwoTeams;
  let olga: Client;
  const made = async (c: Client, value: string, extra: Record<string, unknown> = {}) => {
    const ack = await c.cmd('indicator:create', { type: 'domain', value, ...extra });
    expect(ack.ok).toBe(true);
    return (ack as any).data.indicator.id as string;
  };
  const get = (c: Client, id: string) => c.api.get(`/api/workspaces/${t.ws}/indicators/${id}`);

  beforeAll(async () => {
    t = await startTwoTeams();
    olga = await connect(t.server.url, await observer(t.server.url, t.alice.api, t.ws), t.ws);
  });
  afterAll(async () => {
    olga?.close();
    await t?.stop();
  });

  it('refuses an observer both bulk commands, over sockets and REST, and changes nothing', async () => {
    const id = await made(t.alice, 'bulk-observer.example');
    expect(await olga.cmd('indicator:bulkUpdate', { ids: [id], tlp: 'RED', releasableTo: ['US'] })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await olga.cmd('indicator:bulkDelete', { ids: [id] })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await olga.api.post(`/api/workspaces/${t.ws}/indicators/bulk-delete`, { ids: [id] })).status).toBe(403);
    expect((await get(t.alice, id)).body.indicator).toMatchObject({ tlp: 'AMBER', value: 'bulk-observer.example' });
  });

  it('bulk delete is for workspace owners: a hunter is refused, an owner deletes only what it can see', async () => {
    const mine = await made(t.alice, 'bulk-delete-a.example');
    const bens = await made(t.ben, 'bulk-delete-b.example');
    const bensHidden = await made(t.ben, 'bulk-delete-hidden.example', { tlp: 'AMBER+STRICT' });
    expect(await t.ben.cmd('indicator:bulkDelete', { ids: [bens] })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await t.ben.api.post(`/api/workspaces/${t.ws}/indicators/bulk-delete`, { ids: [bens] })).status).toBe(403);
    expect((await get(t.ben, bens)).status).toBe(200);

    const ack = await t.alice.cmd('indicator:bulkDelete', { ids: [mine, bens, bensHidden, 'no-such-id'] });
    expect(ack).toMatchObject({ ok: true, data: { notFound: 2 } });
    expect(new Set((ack as any).data.deleted)).toEqual(new Set([mine, bens]));
    // The hidden one is neither deleted nor named to alice.
    expect(JSON.stringify(ack)).not.toContain(bensHidden);
    expect((await get(t.ben, bensHidden)).status).toBe(200);
    for (const id of [mine, bens]) expect((await get(t.alice, id)).status).toBe(404);
    // Ben's board hears of the deletes live.
    await eventually(() => expect(t.ben.events.filter((e) => e.type === 'indicator:deleted').map((e) => e.recordId)).toEqual(expect.arrayContaining([mine, bens])));
  });

  it('a bulk marking change is refused as a whole when one row belongs to another team and the caller is no owner', async () => {
    const bens = await made(t.ben, 'bulk-mark-b.example');
    const alices = await made(t.alice, 'bulk-mark-a.example');
    const refused = await t.ben.cmd('indicator:bulkUpdate', { ids: [bens, alices], tlp: 'RED', releasableTo: ['CA'] });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Nothing changed, not even ben's own row.
    expect((await get(t.ben, bens)).body.indicator.tlp).toBe('AMBER');
    expect((await get(t.alice, alices)).body.indicator.tlp).toBe('AMBER');

    // His own rows only: done, and alice (US) loses sight at once.
    const ok = await t.ben.cmd('indicator:bulkUpdate', { ids: [bens], tlp: 'RED', releasableTo: ['CA'] });
    expect(ok).toMatchObject({ ok: true, data: { updated: 1, notFound: 0 } });
    await eventually(() => expect(t.alice.events.filter((e) => e.recordId === bens).at(-1)).toMatchObject({ type: 'indicator:revoked' }));
    expect((await get(t.alice, bens)).status).toBe(404);
  });

  it('an owner changes the marking of several teams rows at once; hidden ids count as not found and stay as they are', async () => {
    const bens = await made(t.ben, 'bulk-owner-b.example');
    const alices = await made(t.alice, 'bulk-owner-a.example');
    const hidden = await made(t.ben, 'bulk-owner-hidden.example', { tlp: 'AMBER+STRICT' });
    const ack = await t.alice.cmd('indicator:bulkUpdate', { ids: [bens, alices, hidden], tlp: 'GREEN' });
    expect(ack).toMatchObject({ ok: true, data: { updated: 2, notFound: 1 } });
    expect((await get(t.ben, bens)).body.indicator.tlp).toBe('GREEN');
    expect((await get(t.ben, hidden)).body.indicator.tlp).toBe('AMBER+STRICT');
    // A bad team code refuses the whole batch.
    expect(await t.alice.cmd('indicator:bulkUpdate', { ids: [bens, alices], tlp: 'RED', releasableTo: ['ZZ'] })).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    expect((await get(t.ben, bens)).body.indicator.tlp).toBe('GREEN');
  });
});

describe('comment authors', () => {
  let t: TwoTeams;
  beforeAll(async () => {
    t = await startTwoTeams();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('name who wrote a comment on the detail and in the event, only for comments the reader may see', async () => {
    const ack = await t.alice.cmd('indicator:create', { type: 'domain', value: 'author-check.example' });
    const id = (ack as any).data.indicator.id as string;
    await eventually(() => expect(t.ben.events.some((e) => e.recordId === id)).toBe(true));
    const shared = await t.alice.cmd('comment:add', { indicatorId: id, body: 'seen on the proxy' });
    expect(shared).toMatchObject({ ok: true, data: { comment: { author: { displayName: 'Alice Carter', username: 'alice' }, team: { code: 'US' } } } });
    await t.alice.cmd('comment:add', { indicatorId: id, body: 'only for us', tlp: 'AMBER+STRICT' });
    await eventually(() =>
      expect(t.ben.events.find((e) => e.type === 'indicator:commented' && e.recordId === id)?.payload).toMatchObject({ comment: { author: { displayName: 'Alice Carter' } } }),
    );
    const detail = (await t.ben.api.get(`/api/workspaces/${t.ws}/indicators/${id}`)).body;
    expect(detail.comments).toHaveLength(1);
    expect(detail.comments[0]).toMatchObject({ body: 'seen on the proxy', author: { displayName: 'Alice Carter', username: 'alice' }, team: { code: 'US' } });
    await settle();
    expect(t.ben.raw.join('\n')).not.toContain('only for us');
    // Alice sees both, each with its author.
    const own = (await t.alice.api.get(`/api/workspaces/${t.ws}/indicators/${id}`)).body;
    expect(own.comments.map((c: any) => c.author.displayName)).toEqual(['Alice Carter', 'Alice Carter']);
  });
});

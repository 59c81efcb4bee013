/** Indicator commands on a real database: de-duplication, markings, revokes, reads through canSee. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { CommandAck } from '@huntroom/shared';
import { execute, type CommandDef } from '../records/command.js';
import { syncEvents } from '../records/sync.js';
import { openKit, type Kit } from '../records/testkit.js';
import { addComment, bulkCreateIndicators, createIndicator } from './service.js';
import { deleteIndicator, updateIndicator } from './changes.js';
import { getIndicator, listIndicators } from './queries.js';

let kit: Kit;
beforeEach(async () => void (kit = await openKit()));
afterEach(() => kit.close());

type Who = keyof Kit['accounts'];
// `any`: each def checks its own payload.
async function ok<T = any>(who: Who, def: CommandDef<any, unknown>, payload: Record<string, unknown>): Promise<T> {
  const ack = await execute(kit.ctx, kit.accounts[who], def, { id: randomUUID(), payload: { workspaceId: kit.workspaceId, ...payload } });
  if (!ack.ok) throw new Error(JSON.stringify(ack.error));
  return ack.data as T;
}
const fail = async (who: Who, def: CommandDef<any, unknown>, payload: Record<string, unknown>) =>
  (await execute(kit.ctx, kit.accounts[who], def, { id: randomUUID(), payload: { workspaceId: kit.workspaceId, ...payload } })) as Extract<CommandAck, { ok: false }>;
const list = (who: Who, q = {}) => listIndicators(kit.db, kit.accounts[who], kit.workspaceId, q);

describe('indicators', () => {
  it('turns a duplicate of type + normalized value into a sighting, never a second row', async () => {
    const a = await ok('alice', createIndicator, { type: 'domain', value: 'Evil.example.COM.' });
    expect(a).toMatchObject({ outcome: 'created', indicator: { value: 'evil.example.com', originalValue: 'Evil.example.COM.', ownerTeam: { code: 'US' } } });
    const b = await ok('ben', createIndicator, { type: 'domain', value: 'evil[.]example[.]com', sighting: { context: 'proxy logs' } });
    expect(b).toMatchObject({ outcome: 'sighted', indicator: { id: a.indicator.id, sightingCount: 1 } });
    expect((await list('alice')).total).toBe(1);
    const detail = await getIndicator(kit.db, kit.accounts.alice, kit.workspaceId, a.indicator.id);
    expect(detail.sightings).toMatchObject([{ team: { code: 'CA' }, context: 'proxy logs' }]);
    expect(detail.history.map((e) => [e.type, e.actor.username])).toEqual([
      ['indicator:created', 'alice'],
      ['indicator:sighted', 'ben'],
    ]);
  });

  it('rejects invalid values with a field message and stores nothing', async () => {
    const bad = await fail('ben', createIndicator, { type: 'md5', value: 'not-a-hash' });
    expect(bad.error.code).toBe('validation_failed');
    expect(bad.error.fields).toHaveProperty(['payload.value']);
    const unknownTeam = await fail('ben', createIndicator, { type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e', releasableTo: ['XX'] });
    expect(unknownTeam.error.fields).toHaveProperty(['payload.releasableTo']);
    expect((await list('ben')).total).toBe(0);
  });

  it('keeps AMBER+STRICT and RED out of other teams\u2019 lists, counts, details and sync', async () => {
    await ok('alice', createIndicator, { type: 'domain', value: 'strict.example', tlp: 'AMBER+STRICT' });
    await ok('alice', createIndicator, { type: 'domain', value: 'red-lv.example', tlp: 'RED', releasableTo: ['LV'] });
    await ok('alice', createIndicator, { type: 'domain', value: 'shared.example', tlp: 'AMBER' });
    expect((await list('alice')).total).toBe(3);
    const ben = await list('ben', { q: 'example' });
    expect([ben.total, ben.items.map((i) => i.value)]).toEqual([1, ['shared.example']]);
    expect((await list('liga')).items.map((i) => i.value).sort()).toEqual(['red-lv.example', 'shared.example']);
    const bensSync = JSON.stringify(await syncEvents(kit.ctx, kit.accounts.ben, { workspaceId: kit.workspaceId, sinceSeq: 0 }));
    expect(bensSync).not.toMatch(/strict\.example|red-lv/);
    const hidden = (await list('alice', { q: 'strict' })).items[0]!;
    await expect(getIndicator(kit.db, kit.accounts.ben, kit.workspaceId, hidden.id)).rejects.toMatchObject({ code: 'not_found' });
    // A duplicate of the hidden one records ben's sighting but tells him nothing about it.
    expect(await ok('ben', createIndicator, { type: 'domain', value: 'STRICT.example' })).toEqual({ outcome: 'sighted' });
    expect((await fail('ben', updateIndicator, { id: hidden.id, status: 'benign' })).error.code).toBe('not_found');
  });

  it('narrows a marking only for the owner team or owners, rewrites history and revokes', async () => {
    const { indicator } = await ok('ben', createIndicator, { type: 'ip-dst', value: '203.0.113.7', tlp: 'AMBER' });
    await ok('liga', addComment, { indicatorId: indicator.id, body: 'seen on the LV gateway' });
    expect((await fail('liga', updateIndicator, { id: indicator.id, tlp: 'RED' })).error.code).toBe('forbidden');
    expect(await ok('liga', updateIndicator, { id: indicator.id, status: 'confirmed' })).toMatchObject({ indicator: { status: 'confirmed' } });
    const before = await syncEvents(kit.ctx, kit.accounts.liga, { workspaceId: kit.workspaceId, sinceSeq: 0 });
    await ok('ben', updateIndicator, { id: indicator.id, tlp: 'RED', releasableTo: ['US'] });
    const after = await syncEvents(kit.ctx, kit.accounts.liga, { workspaceId: kit.workspaceId, sinceSeq: 0 });
    if (after.snapshot || before.snapshot) throw new Error('expected events');
    // LV loses the whole history, its own comment included, and gets exactly one revoke.
    expect(after.events.map((e) => e.type)).toEqual(['indicator:revoked']);
    expect(after.events[0]!.payload).toEqual({ kind: 'indicator', id: indicator.id });
    const us = await syncEvents(kit.ctx, kit.accounts.alice, { workspaceId: kit.workspaceId, sinceSeq: 0 });
    expect(!us.snapshot && us.events.map((e) => e.type)).toEqual(['indicator:created', 'indicator:commented', 'indicator:updated', 'indicator:updated']);
    expect((await list('liga')).total).toBe(0);
  });

  it('imports a batch with duplicates and bad rows, and lets only owners delete', async () => {
    const items = Array.from({ length: 1000 }, (_, i) => ({ type: 'ip-src', value: `198.51.${i % 250}.${i % 7}` }));
    items.push({ type: 'md5', value: 'zz' });
    const r = await ok('ben', bulkCreateIndicators, { items });
    const distinct = new Set(items.slice(0, 1000).map((i) => i.value)).size;
    expect(r).toMatchObject({ created: distinct, sighted: 1000 - distinct, rejected: [{ index: 1000, value: 'zz' }] });
    expect((await list('liga', { type: 'ip-src', limit: 10 })).total).toBe(distinct);
    const page1 = await list('liga', { limit: 600 });
    const page2 = await list('liga', { limit: 600, cursor: page1.nextCursor! });
    expect(new Set([...page1.items, ...page2.items].map((i) => i.id)).size).toBe(distinct);
    expect(page2.nextCursor).toBeNull();
    const id = page1.items[0]!.id;
    expect((await fail('ben', deleteIndicator, { id })).error.code).toBe('forbidden');
    expect(await ok('alice', deleteIndicator, { id })).toEqual({ id });
    expect((await list('liga')).total).toBe(distinct - 1);
  });

  it('syncs from a seq, and answers with a visible snapshot when too far behind or ahead', async () => {
    await ok('alice', createIndicator, { type: 'domain', value: 'a.example', tlp: 'AMBER+STRICT' });
    await ok('alice', createIndicator, { type: 'domain', value: 'b.example' });
    await ok('ben', createIndicator, { type: 'domain', value: 'c.example' });
    const since1 = await syncEvents(kit.ctx, kit.accounts.ben, { workspaceId: kit.workspaceId, sinceSeq: 1 });
    expect(!since1.snapshot && since1.events.map((e) => e.seq)).toEqual([2, 3]);
    const behind = await syncEvents(kit.ctx, kit.accounts.ben, { workspaceId: kit.workspaceId, sinceSeq: 0 }, 2);
    if (!behind.snapshot) throw new Error('expected a snapshot');
    expect([behind.seq, (behind.records.indicators as { value: string }[]).map((i) => i.value).sort()]).toEqual([3, ['b.example', 'c.example']]);
    expect((await syncEvents(kit.ctx, kit.accounts.ben, { workspaceId: kit.workspaceId, sinceSeq: 99 })).snapshot).toBe(true);
  });
});

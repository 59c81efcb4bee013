/** The generic command path on a real database: acks, seqs, idempotency, validation, roles. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { tlpLevelSchema, type CommandAck } from '@huntroom/shared';
import { execute, type CommandDef } from './command.js';
import { recordStore } from './store.js';
import { openKit, type Kit } from './testkit.js';

const backends = ['sqlite', ...(process.env.TEST_DATABASE_URL ? ['postgres' as const] : [])] as const;
if (!process.env.TEST_DATABASE_URL) console.warn('records: TEST_DATABASE_URL is not set, so the PostgreSQL run is SKIPPED (SQLite only)');

let runs = 0;
const probeSchema = z.object({ workspaceId: z.string(), n: z.number().int().min(0).max(10), tlp: tlpLevelSchema.default('AMBER') });
const probe: CommandDef<typeof probeSchema, { made: number }> = {
  type: 'probe:make',
  schema: probeSchema,
  action: 'write',
  async run(c, input) {
    runs++;
    for (let i = 0; i < input.n; i++) {
      await c.record({
        type: 'probe:made',
        recordId: `r${i}`,
        payload: { i },
        audience: { item: { marking: { tlp: input.tlp, releasableTo: [] }, ownerTeamId: c.account.team.id } },
      });
    }
    await c.audit('probe.made', { n: input.n });
    return { made: input.n };
  },
};

describe.each(backends)('record commands on %s', (backend) => {
  let kit: Kit;
  beforeEach(async () => {
    kit = await openKit(backend);
    runs = 0;
  });
  afterEach(() => kit.close());
  const run = (who: keyof Kit['accounts'], id: string, payload: unknown) => execute(kit.ctx, kit.accounts[who], probe, { id, type: 'probe:make', payload });

  it('acks with the seq of its last event and stores events and audit in order', async () => {
    expect(await run('ben', 'cmd-00001', { workspaceId: kit.workspaceId, n: 3 })).toEqual({ ok: true, seq: 3, data: { made: 3 } });
    expect(await run('liga', 'cmd-00002', { workspaceId: kit.workspaceId, n: 1 })).toEqual({ ok: true, seq: 4, data: { made: 1 } });
    const events = await recordStore.since(kit.db, kit.workspaceId, 0, 100, 100);
    expect(events.map((e) => [e.event.seq, e.event.recordId, e.event.actor.username])).toEqual([
      [1, 'r0', 'ben'],
      [2, 'r1', 'ben'],
      [3, 'r2', 'ben'],
      [4, 'r0', 'liga'],
    ]);
    expect(await kit.db.get('SELECT COUNT(*) AS n FROM audit_log WHERE action = ?', ['probe.made'])).toEqual({ n: 2 });
  });

  it('answers a retried command id with the first ack and changes nothing', async () => {
    const first = await run('ben', 'retry-0001', { workspaceId: kit.workspaceId, n: 2 });
    const again = await run('ben', 'retry-0001', { workspaceId: kit.workspaceId, n: 2 });
    expect(again).toEqual(first);
    expect(runs).toBe(1);
    expect(await recordStore.head(kit.db, kit.workspaceId)).toBe(2);
    // The same id from another account is another command.
    expect(await run('liga', 'retry-0001', { workspaceId: kit.workspaceId, n: 1 })).toMatchObject({ ok: true, seq: 3 });
  });

  it('runs concurrent duplicates once and gives distinct commands consecutive seqs', async () => {
    const same = await Promise.all(Array.from({ length: 8 }, () => run('ben', 'same-00001', { workspaceId: kit.workspaceId, n: 1 })));
    expect(new Set(same.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(runs).toBe(1);
    const distinct = await Promise.all(Array.from({ length: 20 }, (_, i) => run('liga', `many-${String(i).padStart(5, '0')}`, { workspaceId: kit.workspaceId, n: 2 })));
    const seqs = distinct.map((a) => (a.ok ? a.seq : -1)).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => 3 + 2 * i));
    const rows = await recordStore.since(kit.db, kit.workspaceId, 0, 1000, 1000);
    expect(rows.map((r) => r.event.seq)).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
  });

  it('refuses bad input with per-field messages and stores nothing', async () => {
    const bad = (await run('ben', 'bad-000001', { workspaceId: kit.workspaceId, n: 99 })) as Extract<CommandAck, { ok: false }>;
    expect(bad.ok).toBe(false);
    expect(bad.error.code).toBe('validation_failed');
    expect(Object.keys(bad.error.fields ?? {})).toEqual(['payload.n']);
    const badId = (await execute(kit.ctx, kit.accounts.ben, probe, { id: 'x', payload: {} })) as Extract<CommandAck, { ok: false }>;
    expect(badId.error.fields).toHaveProperty('id');
    expect(await recordStore.head(kit.db, kit.workspaceId)).toBe(0);
    expect(await kit.db.get('SELECT COUNT(*) AS n FROM command_log')).toEqual({ n: 0 });
  });

  it('refuses observers (403) and non-members (404) without running', async () => {
    expect(await run('olga', 'obs-000001', { workspaceId: kit.workspaceId, n: 1 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await run('ben', 'nom-000001', { workspaceId: 'no-such-workspace', n: 1 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(runs).toBe(0);
  });
});

/**
 * The export's walk over the timeline (timelineStore.pageAfter): every event once, in (at, id) order,
 * also across pages that split a run of events at the same instant; and on SQLite the query reads
 * the index in order (no temporary B-tree sorting every later row for each page, which made a walk
 * over 50,000 events quadratic).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { execute } from '../../records/command.js';
import { openKit, type Kit } from '../../records/testkit.js';
import { bulkCreateTimelineEvents } from './commands.js';
import { pageAfterSql, timelineStore, type TimelineRow } from './store.js';

describe('timelineStore.pageAfter', () => {
  let kit: Kit;
  beforeEach(async () => void (kit = await openKit()));
  afterEach(() => kit.close());

  it('walks every event once in (at, id) order, pages splitting same-instant runs, reading the index in order', async () => {
    // 31 events on 4 instants: runs of 8, 8, 8 and 7 events at the same time.
    const items = Array.from({ length: 31 }, (_, i) => ({ at: `2026-11-0${1 + (i % 4)}T10:00:00Z`, description: `e${i}` }));
    const ack = await execute(kit.ctx, kit.accounts.alice, bulkCreateTimelineEvents, { id: randomUUID(), payload: { workspaceId: kit.workspaceId, items } });
    expect(ack.ok).toBe(true);
    const seen: TimelineRow[] = [];
    for (let after: TimelineRow | undefined; ;) {
      const page = await timelineStore.pageAfter(kit.db, kit.workspaceId, after, 3);
      seen.push(...page);
      if (page.length < 3) break;
      after = page.at(-1);
    }
    const key = (r: TimelineRow) => `${r.at}|${r.id}`;
    expect(seen).toHaveLength(31);
    expect(seen.map(key)).toEqual(seen.map(key).sort());
    expect(new Set(seen.map((r) => r.id)).size).toBe(31);

    const plan = await kit.db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${pageAfterSql('*')}`, [kit.workspaceId, 'a', 'a', 'b', 500]);
    const text = plan.map((p) => p.detail).join(' | ');
    expect(text).toContain('hunt_timeline_at');
    expect(text).not.toMatch(/TEMP B-TREE/);
  });
});

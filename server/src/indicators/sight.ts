/**
 * Recording a sighting of an indicator the caller's team may see: one path for `sighting:add` and for
 * anything else that observes an indicator (a hunt finding linking it, issue 18), so the count, last
 * seen, the live `indicator:sighted` event and its audience are the same whoever records it.
 */
import type { SightingView } from '@huntroom/shared';
import type { CommandContext } from '../records/command.js';
import { newSighting } from './add.js';
import { presentSighting, type TeamIndex } from './present.js';
import { indicatorStore, markedItem, type IndicatorRow } from './store.js';
import { sightingKey } from './repeats.js';

export async function sightIndicator(
  c: CommandContext,
  row: IndicatorRow,
  teams: TeamIndex,
  input: { seenAt?: string | undefined; context?: string | undefined; note?: string | undefined },
): Promise<SightingView> {
  const seenAt = input.seenAt ?? c.at;
  const sighting = newSighting(c, row.id, { item: { sighting: input } }, seenAt);
  // Locks the workspace's seq counter before the sightings are read, so two concurrent identical
  // sightings are judged one after the other; an unused seq is a gap clients tolerate.
  await c.reserve(1);
  // The same sighting already held (same team, instant, context and note; repeats.ts): a retry or a
  // re-sent record, answered with the one held, nothing recorded.
  const key = sightingKey(sighting);
  const held = (await indicatorStore.sightings(c.tx, row.id)).find((s) => s.team_id === sighting.team_id && sightingKey(s) === key);
  if (held) return presentSighting(held, teams);
  await indicatorStore.insertSightings(c.tx, [sighting]);
  row.sighting_count = Number(row.sighting_count) + 1;
  if (seenAt > row.last_seen) row.last_seen = seenAt;
  row.updated_at = c.at;
  const view = presentSighting(sighting, teams);
  row.updated_seq = await c.record({
    type: 'indicator:sighted',
    recordId: row.id,
    payload: { indicatorId: row.id, sighting: view, sightingCount: row.sighting_count, lastSeen: row.last_seen },
    audience: { item: markedItem(row) },
  });
  await indicatorStore.save(c.tx, row);
  return view;
}

/**
 * What a sync snapshot holds: one provider per domain with records on the plane, each returning the
 * records the given team may see. A new record domain adds one line here.
 */
import type { Db } from '../storage/db.js';
import { indicatorSnapshot } from '../indicators/queries.js';
import { huntSnapshots } from '../hunt/queries.js';

export const SNAPSHOTS: Record<string, (db: Db, workspaceId: string, teamId: string) => Promise<unknown[]>> = {
  indicators: indicatorSnapshot,
  ...huntSnapshots,
};

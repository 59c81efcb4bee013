/**
 * ATT&CK marks across instances (docs/federation.md, "ATT&CK marks"; issue 20 item 4): the marks of a
 * shared workspace's board cross as records, each homed at its team's instance. Wires the reading of
 * every accepted board change (a tap beside the documents' one on the UpdateLog), the board's baseline
 * when a share becomes active, and the handlers for what the peer sends.
 */
import type { Db } from '../../storage/db.js';
import type { AppContext } from '../../context.js';
import type { DocMeta } from '../../collab/store.js';
import type { Logger } from '../../log.js';
import { writeToOutbox, type FederationBus } from '../channel.js';
import { onShareActive } from '../shares.js';
import { boardBaseline, MarksCrossing } from './outgoing.js';
import { receiveMarks } from './incoming.js';

const crossings = new WeakMap<object, MarksCrossing>();
let baselineHooked = false;

/**
 * For attack/boardRoutes.ts, in the transaction that re-marks a board: writes the marking, marks or
 * revokes for the links it concerns and returns what to call after the commit. A no-op without federation.
 */
export async function boardMarkingChanged(ctx: Pick<AppContext, 'collab'>, tx: Db, before: DocMeta, after: DocMeta): Promise<() => void> {
  const crossing = crossings.get(ctx.collab);
  if (!crossing) return () => undefined;
  const links = await crossing.boardChanged(tx, before, after);
  return () => crossing.flush(links);
}

export function registerAttack(ctx: AppContext, bus: FederationBus, log: Logger): MarksCrossing {
  const crossing = new MarksCrossing({ bus, log });
  crossings.set(ctx.collab, crossing);
  // The UpdateLog has one tap (the documents' crossing, registered before this): both see every update.
  const updateLog = ctx.collab.updateLog;
  const inner = updateLog.tap;
  updateLog.tap = {
    async stored(tx, docId, update, author) {
      if (inner) await inner.stored(tx, docId, update, author);
      await crossing.stored(tx, docId, update, author);
    },
    committed() {
      inner?.committed();
      crossing.committed();
    },
    carriesPresence: () => inner?.carriesPresence() ?? false,
    awareness: (docId, update) => inner?.awareness(docId, update),
  };
  receiveMarks(ctx, bus, crossing);
  // Share hooks are per process and get only the transaction: the outbox write needs no bus, and the
  // server's outbox poll sends it (as records/index.ts does).
  if (!baselineHooked) {
    baselineHooked = true;
    onShareActive((tx, share) => boardBaseline(tx, writeToOutbox, share.link, share.workspaceId));
  }
  return crossing;
}

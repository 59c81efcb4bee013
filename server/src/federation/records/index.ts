/**
 * Records across instances (issue 20 items 4 and 6): the border at the home (border.ts), the apply at
 * the replica (apply.ts, one applier per event type: indicators.ts), and the baseline when a share
 * becomes active (baseline.ts). Registered once per bus in features.ts.
 */
import type { AppContext } from '../../context.js';
import { eventBorders } from '../../records/command.js';
import { deliver } from '../../records/deliver.js';
import { writeToOutbox, type FederationBus } from '../channel.js';
import { onShareActive } from '../shares.js';
import { makeBorder } from './border.js';
import { applyRecordsMessage, type Applier } from './apply.js';
import { indicatorAppliers } from './indicators.js';
import { huntAppliers } from './hunt.js';
import { sampleAppliers } from './samples.js';
import { sendBaseline } from './baseline.js';
import { RECORDS_MESSAGE } from './wire.js';

/** Event types a replica takes in, by kind. A kind not here is refused at the replica (and said so). */
export const APPLIERS: Record<string, Applier> = { ...indicatorAppliers, ...huntAppliers, ...sampleAppliers };

let baselineHooked = false;

export function registerRecords(ctx: Pick<AppContext, 'db' | 'log' | 'realtime'>, bus: FederationBus): void {
  eventBorders.set(
    bus,
    makeBorder(
      (tx, link, type, body) => bus.enqueue(tx, link, type, body),
      (link) => bus.flush(link),
    ),
  );
  bus.onMessage(RECORDS_MESSAGE, async (tx, link, body) => {
    const { workspaceId, teams, loaded } = await applyRecordsMessage(tx, link, body, APPLIERS);
    // After the commit: to this instance's sockets, each team its visible events (records/deliver.ts).
    return () => deliver(ctx, workspaceId, teams, loaded);
  });
  // The share hooks are per process and get only the transaction: the outbox write needs no bus, and
  // the server's outbox poll sends it.
  if (!baselineHooked) {
    baselineHooked = true;
    onShareActive((tx, share) => sendBaseline(tx, writeToOutbox, share.workspaceId, share.link));
  }
}

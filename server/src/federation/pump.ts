/**
 * The loop that sends baselines over the links this node holds (records/baseline.ts: records in pages;
 * documents/baseline.ts: documents one at a time). A share's activation only records that a baseline is
 * due, in a table of (link, workspace) rows; this loop takes the rows in the order they were started and
 * runs one step at a time for each, while the link is up on this node and the peer keeps up, yielding to
 * the event loop between steps. What is left waits for the next round (or the next session).
 */
import type { Db } from '../storage/db.js';
import type { Logger } from '../log.js';
import type { FederationBus } from './channel.js';
import { yieldToLoop } from '../util.js';

/** Outbox rows of a link not yet acknowledged above which the next step waits (the peer applies slower). */
export const MAX_BACKLOG = 8;
/** How often the holder of a link looks for baselines to continue. */
const PUMP_MS = 250;

export class BaselineLoop {
  private running = false;
  private stopped = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly deps: { db: Db; bus: FederationBus; log: Logger },
    /** The progress table: one row per (link, workspace_id) with a started_at. */
    private readonly table: 'federation_baselines' | 'federation_doc_baselines',
    /** Sends the next step of one baseline (committed when it resolves); whether there is more now. */
    private readonly step: (link: string, workspaceId: string) => Promise<boolean>,
  ) {
    this.timer = setInterval(() => void this.run(), PUMP_MS);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  async run(): Promise<void> {
    if (this.running || this.stopped || !this.deps.bus.upLinks().length) return;
    this.running = true;
    const { db, bus } = this.deps;
    try {
      const due = await db.all<{ link: string; workspace_id: string }>(`SELECT link, workspace_id FROM ${this.table} ORDER BY started_at, workspace_id`);
      for (const b of due) {
        while (!this.stopped && bus.isUp(b.link)) {
          const backlog = await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM federation_outbox WHERE link = ?', [b.link]);
          if (Number(backlog?.n ?? 0) > MAX_BACKLOG) break;
          const more = await this.step(b.link, b.workspace_id);
          bus.flush(b.link);
          if (!more) break;
          // Other clients' requests run between steps.
          await yieldToLoop();
        }
      }
    } catch (err) {
      if (!this.stopped) this.deps.log.error({ err, table: this.table }, 'federation: baseline step failed');
    } finally {
      this.running = false;
    }
  }
}

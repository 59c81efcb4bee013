/**
 * The hunt operation's part of a handoff (issue 18, item 7): networks, hosts, findings with their
 * samples' hashes, and the timeline, each kept only when `sees` (the same both-teams canSee test
 * collect.ts applies to indicators) says so. A sample has no marking of its own: it is the finding's,
 * so a sample travels exactly when its finding does. Never a sample's bytes: only its name, size and
 * hashes. References between items are left to the formats, which resolve them only among what is here
 * (a host visible under a network narrowed later is shown without that network's name).
 */
import type { FindingView, HostView, MarkedItem, NetworkView, SampleView, TimelineEventView } from '@huntroom/shared';
import type { Db } from '../storage/db.js';
import type { TeamIndex } from '../indicators/present.js';
import { itemOf } from '../hunt/common/rows.js';
import { networkStore } from '../hunt/networks/store.js';
import { presentNetwork } from '../hunt/networks/present.js';
import { hostStore } from '../hunt/hosts/store.js';
import { presentHost } from '../hunt/hosts/present.js';
import { findingStore } from '../hunt/findings/store.js';
import { presentFinding } from '../hunt/findings/present.js';
import { sampleStore } from '../hunt/samples/store.js';
import { presentSample } from '../hunt/samples/present.js';
import { timelineStore, type TimelineRow } from '../hunt/timeline/store.js';
import { eachPage, yieldToLoop } from '../util.js';

export interface HuntExport {
  networks: NetworkView[];
  hosts: HostView[];
  findings: FindingView[];
  /** Samples by finding id, for the findings above only. */
  samples: Record<string, SampleView[]>;
  /** Oldest first (UTC), then by id. */
  timeline: TimelineEventView[];
}

export const EMPTY_HUNT: HuntExport = { networks: [], hosts: [], findings: [], samples: {}, timeline: [] };

/**
 * What the main thread gathers before the export thread starts: all but the timeline, whose events
 * (as many as 50,000) are read afterwards a page at a time (`readTimeline`) and handed to the export
 * thread as rows as each page is read, presented there (worker.ts).
 */
export type HuntHead = Omit<HuntExport, 'timeline'>;

/**
 * Rows read and presented per turn of the event loop. A page of 2,000 events (a read, 2,000 views and
 * the garbage they leave) held the loop up to a few hundred ms on a loaded 2-core machine; at 500 each
 * turn is a quarter of that (docs/performance.md, "Hunt exports").
 */
const PAGE = 500;

export async function collectHuntHead(db: Db, workspaceId: string, teams: TeamIndex, sees: (item: MarkedItem) => boolean): Promise<HuntHead> {
  const networks = (await networkStore.where(db, workspaceId, {}, 'name, id')).filter((r) => sees(itemOf(r))).map((r) => presentNetwork(r, teams));
  const hosts: HostView[] = [];
  const hostRows = (await hostStore.where(db, workspaceId, {}, 'hostname_key, id')).filter((r) => sees(itemOf(r)));
  // Each view parses the host's state history: presented in pages too (2,000 hosts at once showed in the profile).
  for (let i = 0; i < hostRows.length; i += PAGE) {
    for (const r of hostRows.slice(i, i + PAGE)) hosts.push(presentHost(r, teams));
    await yieldToLoop();
  }
  const findings = (await findingStore.where(db, workspaceId, {}, 'created_seq, id')).filter((r) => sees(itemOf(r))).map((r) => presentFinding(r, teams));
  const samples: Record<string, SampleView[]> = {};
  for (const f of findings) {
    const rows = await sampleStore.listForFinding(db, workspaceId, f.id);
    if (rows.length) samples[f.id] = rows.map((r) => presentSample(r, teams));
  }
  return { networks, hosts, findings, samples };
}

/**
 * The timeline's events that pass `sees`, oldest first (then by id), into `each` a page at a time,
 * yielding between pages (one synchronous read of 50,000 held every socket of the node for a second);
 * stops early when `stopped` says so. Answers how many passed.
 */
export async function readTimeline(db: Db, workspaceId: string, sees: (item: MarkedItem) => boolean, each: (rows: TimelineRow[]) => void, stopped: () => boolean): Promise<number> {
  let n = 0;
  await eachPage(
    (after: TimelineRow | undefined) => timelineStore.pageAfter(db, workspaceId, after, PAGE),
    PAGE,
    (last) => last,
    (page) => {
      const kept = page.filter((r) => sees(itemOf(r)));
      n += kept.length;
      if (kept.length) each(kept);
    },
    stopped,
  );
  return n;
}

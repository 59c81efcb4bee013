/**
 * Reads of hunt operations: the four lists (filters, cursor, visible total), one item with its
 * visible history, and the sync snapshot. Every row passes `canSee` before it is counted or returned.
 */
import {
  canSee,
  type Account,
  type FindingView,
  type HostView,
  type HuntPage,
  type ListFindingsQuery,
  type ListHostsQuery,
  type ListNetworksQuery,
  type ListTimelineQuery,
  type NetworkView,
  type RecordEvent,
  type TimelineEventView,
} from '@huntroom/shared';
import type { Db } from '../storage/db.js';
import { teamStore } from '../teams/store.js';
import { TeamIndex } from '../indicators/present.js';
import { recordStore } from '../records/store.js';
import { visibleTo } from '../records/visibility.js';
import { itemOf, list, markedItem } from './common/rows.js';
import { bySeqDesc, page, type Order } from './common/page.js';
import { requireVisible, type HuntKindName } from './common/rules.js';
import { teamIdOf } from './common/teams.js';
import { networkStore } from './networks/store.js';
import { presentNetwork } from './networks/present.js';
import { hostStore } from './hosts/store.js';
import { presentHost } from './hosts/present.js';
import { findingStore } from './findings/store.js';
import { presentFinding } from './findings/present.js';
import { timelineStore, type ScanRow as TimelineScanRow, type TimelineRow } from './timeline/store.js';
import { presentTimelineEvent } from './timeline/present.js';
import { sampleStore } from './samples/store.js';
import { presentSample } from './samples/present.js';

const teamsOf = async (db: Db) => new TeamIndex(await teamStore.list(db));
const has = (hay: readonly string[], q: string | undefined) => !q || hay.join('\n').toLowerCase().includes(q.toLowerCase());

export async function listNetworks(db: Db, account: Account, workspaceId: string, q: ListNetworksQuery): Promise<HuntPage<NetworkView>> {
  const teams = await teamsOf(db);
  const rows = await networkStore.where(db, workspaceId, { hunting_team_id: q.team ? teamIdOf(teams, q.team, 'team') : undefined });
  return page(
    rows,
    account.team.id,
    q,
    bySeqDesc(),
    (r) => presentNetwork(r, teams),
    (r) => has([r.name, r.partner], q.q),
  );
}

export async function listHosts(db: Db, account: Account, workspaceId: string, q: ListHostsQuery): Promise<HuntPage<HostView>> {
  const teams = await teamsOf(db);
  const rows = await hostStore.where(db, workspaceId, { network_id: q.network, state: q.state });
  return page(
    rows,
    account.team.id,
    q,
    bySeqDesc(),
    (r) => presentHost(r, teams),
    (r) => has([r.hostname, r.os, ...list(r.addresses)], q.q),
  );
}

export async function listFindings(db: Db, account: Account, workspaceId: string, q: ListFindingsQuery): Promise<HuntPage<FindingView>> {
  const teams = await teamsOf(db);
  const rows = await findingStore.where(db, workspaceId, { host_id: q.host, network_id: q.network, status: q.status });
  return page(rows, account.team.id, q, bySeqDesc(), (r) => presentFinding(r, teams));
}

/** Oldest first by time, then id: the cursor is `<at>|<id>`. */
const byTime: Order<Pick<TimelineRow, 'at' | 'id'>> = {
  key: (r) => `${r.at}|${r.id}`,
  after: (r, cursor) => {
    const [at = '', id = ''] = cursor.split('|');
    return r.at > at || (r.at === at && r.id > id);
  },
};

export async function listTimeline(db: Db, account: Account, workspaceId: string, q: ListTimelineQuery): Promise<HuntPage<TimelineEventView>> {
  const teams = await teamsOf(db);
  const iso = (s: string | undefined) => (s ? new Date(s).toISOString() : undefined);
  const filter = { from: iso(q.from), to: iso(q.to), hostId: q.host, networkId: q.network, teamId: q.team ? teamIdOf(teams, q.team, 'team') : undefined };
  // Only the deciding columns of every matching event, then the page in full (timeline/store.ts scan).
  const rows = await timelineStore.scan(db, workspaceId, filter, !!(q.technique || q.q));
  const matches = (r: TimelineScanRow) => (!q.technique || list(r.techniques!).includes(q.technique)) && has([r.description!, r.source!], q.q);
  const found = page(rows, account.team.id, q, byTime, (r) => r, matches);
  const full = new Map(
    (
      await timelineStore.manyById(
        db,
        workspaceId,
        found.items.map((r) => r.id),
      )
    ).map((r) => [r.id, r]),
  );
  // A row deleted between the two reads is left out rather than shown half-loaded.
  return { ...found, items: found.items.flatMap((r) => (full.has(r.id) ? [presentTimelineEvent(full.get(r.id)!, teams)] : [])) };
}

/** An item's events the caller may see, oldest first. */
async function history(db: Db, account: Account, workspaceId: string, id: string): Promise<RecordEvent[]> {
  return (await recordStore.forRecord(db, workspaceId, id)).filter((l) => visibleTo(account.team.id, l.audience)).map((l) => l.event);
}

/** One item of each kind as the caller may see it (a hidden one answers like a missing one). */
const READ: Record<HuntKindName, { key: string; read: (db: Db, account: Account, workspaceId: string, id: string, teams: TeamIndex) => Promise<unknown> }> = {
  network: { key: 'network', read: async (db, a, ws, id, t) => presentNetwork(requireVisible(a, await networkStore.get(db, ws, id), 'network'), t) },
  host: { key: 'host', read: async (db, a, ws, id, t) => presentHost(requireVisible(a, await hostStore.get(db, ws, id), 'host'), t) },
  finding: { key: 'finding', read: async (db, a, ws, id, t) => presentFinding(requireVisible(a, await findingStore.get(db, ws, id), 'finding'), t) },
  timeline: { key: 'event', read: async (db, a, ws, id, t) => presentTimelineEvent(requireVisible(a, await timelineStore.get(db, ws, id), 'timeline event'), t) },
};

/** `{<kind>: view, history}` (`event` for the timeline): the item and the events about it the caller may see. */
export async function getHuntItem(db: Db, account: Account, workspaceId: string, kind: HuntKindName, id: string): Promise<Record<string, unknown>> {
  const { key, read } = READ[kind];
  const view = await read(db, account, workspaceId, id, await teamsOf(db));
  return { [key]: view, history: await history(db, account, workspaceId, id) };
}

/** Sync snapshots: every item of each kind the team may see. */
export const huntSnapshots = {
  networks: async (db: Db, workspaceId: string, teamId: string) => {
    const teams = await teamsOf(db);
    return (await networkStore.where(db, workspaceId, {})).filter((r) => canSee(teamId, itemOf(r))).map((r) => presentNetwork(r, teams));
  },
  hosts: async (db: Db, workspaceId: string, teamId: string) => {
    const teams = await teamsOf(db);
    return (await hostStore.where(db, workspaceId, {})).filter((r) => canSee(teamId, itemOf(r))).map((r) => presentHost(r, teams));
  },
  findings: async (db: Db, workspaceId: string, teamId: string) => {
    const teams = await teamsOf(db);
    return (await findingStore.where(db, workspaceId, {})).filter((r) => canSee(teamId, itemOf(r))).map((r) => presentFinding(r, teams));
  },
  timeline: async (db: Db, workspaceId: string, teamId: string) => {
    const teams = await teamsOf(db);
    return (await timelineStore.range(db, workspaceId, {})).filter((r) => canSee(teamId, itemOf(r))).map((r) => presentTimelineEvent(r, teams));
  },
  /** A sample is seen by exactly the teams that see its finding (its marking is the finding's). */
  samples: async (db: Db, workspaceId: string, teamId: string) => {
    const teams = await teamsOf(db);
    return (await sampleStore.listForWorkspace(db, workspaceId)).filter((r) => canSee(teamId, markedItem(r))).map((r) => presentSample(r, teams));
  },
};

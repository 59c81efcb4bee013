/**
 * Adding timeline events, one or a batch (a super-timeline import): each judged on its own. An event
 * may refer to a host, findings and indicators, each visible to the writer (else "<kind> not found",
 * as a missing one) and none narrower than the event. Without a marking it takes its host's (else its
 * first finding's, else the workspace default). Its team is the writer's; a workspace owner may file
 * an event for another team (a coordinator entering what a team reported).
 */
import { canSee, type HuntBulkResult, type TimelineItemInput } from '@huntroom/shared';
import type { CommandContext } from '../../records/command.js';
import type { TeamIndex } from '../../indicators/present.js';
import { indicatorStore, type IndicatorRow } from '../../indicators/store.js';
import { can } from '../../workspaces/policy.js';
import { itemOf, json, markedItem, newBase, type MarkedRow } from '../common/rows.js';
import { newItemMarking, widerThanRefs, type Ref } from '../common/rules.js';
import { hostStore, type HostRow } from '../hosts/store.js';
import { findingStore, type FindingRow } from '../findings/store.js';
import { presentTimelineEvent } from './present.js';
import { timelineStore, type TimelineRow } from './store.js';

export type TimelineOutcome = HuntBulkResult['results'][number] & { row?: TimelineRow };

/** `Z` is UTC; any other written offset is kept as written (`+02:00`). */
export function zoneOf(at: string): string {
  const m = /([+-]\d{2}:?\d{2}|Z)$/i.exec(at);
  return !m || m[1]!.toUpperCase() === 'Z' ? 'UTC' : m[1]!;
}

/** Referenced rows read once per command, whatever the batch size. */
export class RefCache {
  private readonly hosts = new Map<string, HostRow | undefined>();
  private readonly findings = new Map<string, FindingRow | undefined>();
  private readonly indicators = new Map<string, IndicatorRow | undefined>();
  constructor(private readonly c: Pick<CommandContext, 'tx' | 'workspace'>) {}
  async host(id: string) {
    if (!this.hosts.has(id)) this.hosts.set(id, await hostStore.get(this.c.tx, this.c.workspace.id, id));
    return this.hosts.get(id);
  }
  async finding(id: string) {
    if (!this.findings.has(id)) this.findings.set(id, await findingStore.get(this.c.tx, this.c.workspace.id, id));
    return this.findings.get(id);
  }
  async indicator(id: string) {
    if (!this.indicators.has(id)) this.indicators.set(id, await indicatorStore.get(this.c.tx, this.c.workspace.id, id));
    return this.indicators.get(id);
  }
}

type Judged = { row: TimelineRow } | { field: string; reason: string; notFound?: boolean };

/** A new event from `item`, or with `existing`, that event changed to `item` (id, owner and creation kept). */
export async function judgeEvent(c: CommandContext, teams: TeamIndex, cache: RefCache, item: TimelineItemInput, existing?: TimelineRow): Promise<Judged> {
  const viewer = c.account.team.id;
  const visible = <R extends MarkedRow | IndicatorRow>(r: R | undefined): R | undefined => (r && canSee(viewer, markedItem(r)) ? r : undefined);
  const refs: Ref[] = [];
  let host: HostRow | undefined;
  if (item.hostId) {
    host = visible(await cache.host(item.hostId));
    if (!host) return { field: 'hostId', reason: 'host not found', notFound: true };
    refs.push({ kind: 'host', item: itemOf(host) });
  }
  const findings: FindingRow[] = [];
  for (const id of new Set(item.findingIds ?? [])) {
    const f = visible(await cache.finding(id));
    if (!f) return { field: 'findingIds', reason: 'finding not found', notFound: true };
    findings.push(f);
    refs.push({ kind: 'finding', item: itemOf(f) });
  }
  const indicators: IndicatorRow[] = [];
  for (const id of new Set(item.indicatorIds ?? [])) {
    const i = visible(await cache.indicator(id));
    if (!i) return { field: 'indicatorIds', reason: 'indicator not found', notFound: true };
    indicators.push(i);
    refs.push({ kind: 'indicator', item: markedItem(i) });
  }
  let teamId = existing?.team_id ?? viewer;
  if (item.team && teams.idOf(item.team) !== teamId) {
    const id = teams.idOf(item.team);
    if (!id) return { field: 'team', reason: `unknown team: ${item.team}` };
    if (id !== viewer && !can(c.workspace.role, 'manage')) return { field: 'team', reason: 'only a workspace owner may file an event for another team' };
    teamId = id;
  }
  const parent = host ?? findings[0];
  const marking = newItemMarking(teams, c.workspace, item, parent ? itemOf(parent) : undefined);
  if (typeof marking === 'string') return { field: 'releasableTo', reason: marking };
  const base = newBase(c, marking);
  const row: TimelineRow = {
    ...base,
    ...(existing
      ? { id: existing.id, owner_team_id: existing.owner_team_id, created_by: existing.created_by, created_at: existing.created_at, created_seq: existing.created_seq }
      : {}),
    at: new Date(item.at).toISOString(),
    source_time_zone: item.sourceTimeZone ?? zoneOf(item.at),
    host_id: host?.id ?? null,
    network_id: host?.network_id ?? findings[0]?.network_id ?? null,
    description: item.description,
    source: item.source ?? '',
    team_id: teamId,
    indicator_ids: json(indicators.map((i) => i.id)),
    techniques: json([...new Set(item.techniques ?? [])]),
    finding_ids: json(findings.map((f) => f.id)),
  };
  const wider = widerThanRefs(teams, viewer, itemOf(row), refs);
  if (wider) return { field: 'releasableTo', reason: wider };
  return { row };
}

export async function addTimelineEvents(c: CommandContext, items: readonly { index: number; item: TimelineItemInput }[], teams: TeamIndex): Promise<TimelineOutcome[]> {
  const cache = new RefCache(c);
  const out: TimelineOutcome[] = [];
  const fresh: TimelineRow[] = [];
  await c.reserve(items.length);
  for (const { index, item } of items) {
    const judged = await judgeEvent(c, teams, cache, item);
    if (!('row' in judged)) {
      out.push({ index, outcome: 'rejected', reason: `${judged.field}: ${judged.reason}` });
      continue;
    }
    const row = judged.row;
    const view = presentTimelineEvent(row, teams);
    row.created_seq = row.updated_seq = view.updatedSeq = await c.record({ type: 'timeline:created', recordId: row.id, payload: { event: view }, audience: { item: itemOf(row) } });
    fresh.push(row);
    out.push({ index, outcome: 'created', id: row.id, row });
  }
  await timelineStore.insertMany(c.tx, fresh);
  return out;
}

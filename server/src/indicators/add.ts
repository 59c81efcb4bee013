/**
 * Adding indicators, one or an import batch: normalize each value, de-duplicate on type + normalized
 * value against the workspace and within the batch, insert the new ones and record a sighting by the
 * adding team for each duplicate, never a second row (DESIGN.md section 4).
 */
import { INDICATOR_LIMITS, normalizeMarking, portsOfTags, teamsExposedByCopy, withPortTag, type IndicatorItemInput, type Marking } from '@huntroom/shared';
import { teamStore } from '../teams/store.js';
import type { CommandContext } from '../records/command.js';
import { newId } from '../util.js';
import { normalizeIndicator } from './normalize.js';
import { presentIndicator, presentSighting, TeamIndex } from './present.js';
import { indicatorStore, markedItem, type CommentRow, type IndicatorRow, type SightingRow } from './store.js';
import { HeldSightings } from './repeats.js';

/** `repeated`: a duplicate whose sighting the indicator already held (repeats.ts): nothing recorded. */
export type AddOutcome =
  { index: number; outcome: 'created' | 'sighted' | 'repeated'; row: IndicatorRow } | { index: number; outcome: 'rejected'; value: string; reason: string; field: string };

export interface Planned {
  index: number;
  item: IndicatorItemInput;
  type: string;
  value: string;
  marking: Marking;
}

export const teamIndex = async (c: Pick<CommandContext, 'tx'>) => new TeamIndex(await teamStore.list(c.tx));

/**
 * Resolves team codes to ids through the one marking normalization of shared/ (keeps or narrows,
 * never widens); unknown codes are a validation error of the item. Callers pass what was asked as
 * is: filtering the list first (say, the author's own team) could empty it, and empty means everyone.
 */
export function resolveMarking(teams: TeamIndex, tlp: Marking['tlp'], codes: readonly string[] | undefined): Marking | string {
  const r = normalizeMarking({ tlp, releasableTo: codes }, teams.all);
  return r.ok ? r.marking : r.message;
}

/** What adding `items` would do, nothing written: each item's refusal, or its plan and whether it is new. */
export interface Judged {
  rejected: AddOutcome[];
  planned: Planned[];
  /** Rows already in the workspace, by key; addIndicators adds the new ones as it creates them. */
  known: Map<string, IndicatorRow>;
  /** Per planned item: a new indicator (else a sighting of one already there or earlier in the batch). */
  isNew: boolean[];
}

/**
 * The judging of an add, shared by the add itself and an import's dry run: normalize each value,
 * resolve its marking, and de-duplicate against the workspace and within the batch.
 */
export async function judgeIndicators(c: Pick<CommandContext, 'tx' | 'workspace'>, items: readonly IndicatorItemInput[], teams: TeamIndex): Promise<Judged> {
  const rejected: AddOutcome[] = [];
  const planned: Planned[] = [];
  items.forEach((item, index) => {
    const n = normalizeIndicator(item.type, item.value);
    if (!n.ok) return void rejected.push({ index, outcome: 'rejected', value: item.value, reason: n.reason, field: 'value' });
    const marking = resolveMarking(teams, item.tlp ?? c.workspace.defaultTlp, item.releasableTo);
    if (typeof marking === 'string') return void rejected.push({ index, outcome: 'rejected', value: item.value, reason: marking, field: 'releasableTo' });
    // An address written with its port (`1.2.3.4:8443`, by hand or by an import): the address is the
    // value, so it is one indicator with or without the port, and the port is kept as its port tag.
    const tags = n.port === undefined ? item.tags : withPortTag(item.tags, n.port);
    if (tags && tags.length > INDICATOR_LIMITS.tagsMax)
      return void rejected.push({ index, outcome: 'rejected', value: item.value, reason: `at most ${INDICATOR_LIMITS.tagsMax} tags, the port tag included`, field: 'tags' });
    planned.push({ index, item: tags === item.tags ? item : { ...item, tags }, type: n.type, value: n.value, marking });
  });
  if (!planned.length) return { rejected, planned, known: new Map(), isNew: [] };
  const known = await indicatorStore.byKeys(c.tx, c.workspace.id, planned);
  const seen = new Set<string>();
  const isNew = planned.map((p) => !known.has(key(p)) && !seen.has(key(p)) && !!seen.add(key(p)));
  return { rejected, planned, known, isNew };
}

export async function addIndicators(c: CommandContext, items: readonly IndicatorItemInput[], teams: TeamIndex): Promise<AddOutcome[]> {
  const { rejected, planned, known, isNew } = await judgeIndicators(c, items, teams);
  const outcomes: AddOutcome[] = rejected;
  if (!planned.length) return outcomes;
  await c.reserve(planned.length);
  // Read after the reservation locked the workspace's seq counter: a concurrent add waits, then sees these.
  const held = await heldFor(c, planned, known, isNew);
  const fresh: IndicatorRow[] = [];
  const sightings: SightingRow[] = [];
  const touched = new Map<string, IndicatorRow>();
  for (const [i, p] of planned.entries()) {
    const seenAt = p.item.sighting?.seenAt ?? c.at;
    if (isNew[i]) {
      const row = newRow(c, p, seenAt);
      known.set(key(p), row);
      fresh.push(row);
      const view = presentIndicator(row, teams);
      row.created_seq = row.updated_seq = await c.record({ type: 'indicator:created', recordId: row.id, payload: { indicator: view }, audience: { item: markedItem(row) } });
      // The seq is known only now; payloads are serialized at the end of the command, so this lands.
      view.updatedSeq = row.updated_seq;
      outcomes.push({ index: p.index, outcome: 'created', row });
      continue;
    }
    const row = known.get(key(p))!;
    const sighting = newSighting(c, row.id, p, seenAt);
    // Its ports first: a repeated sighting may still bring a port the indicator does not have yet.
    const newPorts = await keepPorts(c, teams, row, p);
    if (held.repeats(row.id, sighting)) {
      if (newPorts && !fresh.includes(row)) touched.set(row.id, row);
      outcomes.push({ index: p.index, outcome: 'repeated', row });
      continue;
    }
    sightings.push(sighting);
    row.sighting_count = Number(row.sighting_count) + 1;
    if (seenAt > row.last_seen) row.last_seen = seenAt;
    row.updated_at = c.at;
    row.updated_seq = await c.record({
      type: 'indicator:sighted',
      recordId: row.id,
      payload: { indicatorId: row.id, sighting: presentSighting(sighting, teams), sightingCount: row.sighting_count, lastSeen: row.last_seen },
      audience: { item: markedItem(row) },
    });
    if (!fresh.includes(row)) touched.set(row.id, row);
    outcomes.push({ index: p.index, outcome: 'sighted', row });
  }
  // An imported comment (a CSV comment column) becomes the new indicator's first comment, as visible as
  // the indicator (its level; its teams plus the owner team when limited), as comment:add does by default.
  const firstComments: CommentRow[] = [];
  for (const [i, p] of planned.entries()) {
    const row = isNew[i] ? known.get(key(p)) : undefined;
    if (!row || !p.item.comment) continue;
    const teamsOf = p.marking.releasableTo.length ? [...new Set([...p.marking.releasableTo, row.owner_team_id])] : [];
    firstComments.push({
      id: newId(),
      indicator_id: row.id,
      account_id: c.account.id,
      team_id: c.account.team.id,
      body: p.item.comment,
      tlp: p.marking.tlp,
      releasable_to: JSON.stringify(teamsOf),
      created_at: c.at,
    });
  }
  await indicatorStore.insertMany(c.tx, fresh);
  for (const comment of firstComments) await indicatorStore.addComment(c.tx, comment);
  await indicatorStore.insertSightings(c.tx, sightings);
  for (const row of touched.values()) await indicatorStore.save(c.tx, row);
  return outcomes.sort((a, b) => a.index - b.index);
}

const key = (p: { type: string; value: string }) => `${p.type}\u0000${p.value}`;

/**
 * For an import's dry run: per planned item, whether it is a duplicate whose sighting the indicator
 * already holds (what addIndicators would answer `repeated`), with `at` as the command's time.
 */
export async function judgeRepeats(c: { tx: CommandContext['tx']; account: { team: { id: string } } }, judged: Judged, at: string): Promise<boolean[]> {
  const held = await heldFor(c, judged.planned, judged.known, judged.isNew);
  return judged.planned.map((p, i) => {
    const row = judged.isNew[i] ? undefined : judged.known.get(key(p));
    const s = p.item.sighting;
    return !!row && held.repeats(row.id, { team_id: c.account.team.id, seen_at: s?.seenAt ?? at, context: s?.context ?? '', note: s?.note ?? '' });
  });
}

/** The sightings the caller's team holds on the indicators that existed before this add (repeats.ts). */
export function heldFor(
  c: { tx: CommandContext['tx']; account: { team: { id: string } } },
  planned: Planned[],
  known: Map<string, IndicatorRow>,
  isNew: boolean[],
): Promise<HeldSightings> {
  // A later item of a value new in this batch has no row yet: only rows from before count.
  const existing = planned.flatMap((p, i) => (isNew[i] || !known.has(key(p)) ? [] : [known.get(key(p))!]));
  return HeldSightings.load(c.tx, existing, c.account.team.id);
}

/**
 * The ports a duplicate was seen with, added to the indicator already there as its port tags, so an
 * address imported from MISP (`ip-dst|port`) and from a report with and without the port is one
 * indicator carrying every port. Only when that exposes nothing: a port learnt under a stricter marking
 * (a RED import of an address the workspace holds GREEN) would reach teams it was not released to, so
 * it is not copied; the sighting is still recorded. Within the tag limit, as any tag.
 */
async function keepPorts(c: CommandContext, teams: TeamIndex, row: IndicatorRow, p: Planned): Promise<boolean> {
  const have = JSON.parse(row.tags) as string[];
  const fresh = portsOfTags(p.item.tags ?? []).filter((port) => !have.includes(`port:${port}`));
  if (!fresh.length || have.length + fresh.length > INDICATOR_LIMITS.tagsMax) return false;
  const item = { marking: p.marking, ownerTeamId: c.account.team.id };
  const exposed = teamsExposedByCopy(
    item,
    markedItem(row),
    teams.all.map((t) => t.id),
  );
  if (exposed.length) return false;
  row.tags = JSON.stringify(fresh.reduce<string[]>((tags, port) => withPortTag(tags, port), have));
  const view = presentIndicator(row, teams);
  row.updated_seq = await c.record({ type: 'indicator:updated', recordId: row.id, payload: { indicator: view, changes: ['tags'] }, audience: { item: markedItem(row) } });
  view.updatedSeq = row.updated_seq;
  return true;
}

function newRow(c: CommandContext, p: Planned, seenAt: string): IndicatorRow {
  return {
    id: newId(),
    workspace_id: c.workspace.id,
    type: p.type,
    value: p.value,
    original_value: p.item.value,
    status: p.item.status ?? 'new',
    confidence: p.item.confidence ?? 50,
    tlp: p.marking.tlp,
    releasable_to: JSON.stringify(p.marking.releasableTo),
    owner_team_id: c.account.team.id,
    tags: JSON.stringify([...new Set(p.item.tags ?? [])]),
    techniques: JSON.stringify([...new Set(p.item.techniques ?? [])]),
    source: p.item.source ?? '',
    first_seen: seenAt,
    last_seen: seenAt,
    valid_until: p.item.validUntil ? new Date(p.item.validUntil).toISOString() : null,
    sighting_count: 0,
    // The imported first comment (below) is counted from the start, so the created event says so.
    comment_count: p.item.comment ? 1 : 0,
    created_by: c.account.id,
    created_at: c.at,
    updated_at: c.at,
    created_seq: 0,
    updated_seq: 0,
  };
}

export function newSighting(c: CommandContext, indicatorId: string, p: { item: { sighting?: IndicatorItemInput['sighting'] } }, seenAt: string): SightingRow {
  return {
    id: newId(),
    indicator_id: indicatorId,
    team_id: c.account.team.id,
    account_id: c.account.id,
    seen_at: seenAt,
    context: p.item.sighting?.context ?? '',
    note: p.item.sighting?.note ?? '',
    created_at: c.at,
  };
}

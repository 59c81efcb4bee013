/**
 * The objects of one collection, as the caller's team sees them, one page at a time.
 *
 * A page costs what it holds, not the whole collection: the indicators are read from the store in
 * keyset order on (updated_at, id), starting after the `next` cursor and after `added_after`, in
 * batches, until the page is full. Each indicator the team may see (`canSee`, the same test as every
 * other path out of the server) becomes the STIX objects the workspace's STIX export writes for it
 * (buildStixBundle on that one indicator): the indicator or vulnerability, its `indicates`/`targets`
 * relationships, a sighting per sighting and a note per comment the team may see. They share one
 * `date_added`, the indicator's `updated_at`, which moves when the indicator, a sighting or a comment
 * of it changes: a poll with `added_after` brings back the whole indicator again, with what changed.
 *
 * After the last indicator come the objects the others refer to, each once per collection: the
 * identities of the teams that own, sighted or commented what the team sees, Huntroom's identity and
 * extension definition, the TLP marking definitions in use, and the ATT&CK attack-patterns (of those
 * indicators and of the board's observed marks when the board is visible). They have no time of their
 * own in Huntroom and carry the time of the request as `date_added`, so every poll ends with them (a
 * client needs them to resolve refs). Finding them reads only the marking columns of the workspace.
 *
 * `next` names a position: an indicator (its updated_at and id) and how many of its objects were
 * already served, or how many of the closing objects were. A page boundary holds while records change:
 * an indicator changed meanwhile moves after the cursor and is served again with its new state.
 */
import { attackDomainSchema, canSee, HUNTROOM_IDENTITY, huntroomExtensionDefinition, stixMarkingDefinition, type Team, type TlpLevel, type Workspace } from '@huntroom/shared';
import type { AppContext } from '../context.js';
import type { Db, SqlValue } from '../storage/db.js';
import { catalogFor } from '../attack/catalog.js';
import { boardDocId, readMarks } from '../attack/board.js';
import { docStore } from '../collab/store.js';
import { docState, type HandoffData } from '../exports/collect.js';
import { EMPTY_HUNT } from '../exports/collectHunt.js';
import { buildStixBundle } from '../exports/formats/stix.js';
import { stixId } from '../exports/formats/ids.js';
import { indicatorStore, markedItem, type CommentRow, type IndicatorRow, type SightingRow } from '../indicators/store.js';
import { indicatorsHolding, mayBeReference } from './byId.js';
import { presentComment, presentIndicator, presentSighting, TeamIndex } from '../indicators/present.js';
import { teamStore } from '../teams/store.js';
import { yieldToLoop } from '../util.js';
import { TaxiiError } from './errors.js';

export const MAX_PAGE = 1_000;
/** Indicators read per query while a page fills (a team may see few of them). */
const BATCH = 500;

export interface StixObject {
  id: string;
  type: string;
  created?: string;
  modified?: string;
  spec_version?: string;
  [k: string]: unknown;
}

export interface Entry {
  object: StixObject;
  dateAdded: string;
}

/** Where a page starts: inside an indicator's objects, or inside the closing reference objects. */
export type Position = { kind: 'indicator'; at: string; id: string; skip: number } | { kind: 'references'; skip: number };

export interface PageQuery {
  /** ISO 8601 UTC (toISOString), comparable with the stored updated_at. */
  addedAfter?: string;
  limit: number;
  after?: Position;
  ids?: Set<string>;
  types?: Set<string>;
}

export interface Page {
  items: Entry[];
  more: boolean;
  next?: string;
}

/** What a reference object is: served once, after the indicators. */
const REFERENCE_TYPES = new Set(['identity', 'marking-definition', 'extension-definition', 'attack-pattern']);

const bad = (description: string) => new TaxiiError(400, 'Bad request', description);

function timestamp(v: unknown, name: string): string {
  const at = typeof v === 'string' ? Date.parse(v) : NaN;
  if (!Number.isFinite(at)) throw bad(`${name} must be an RFC 3339 timestamp`);
  return new Date(at).toISOString();
}

const list = (v: unknown, name: string): Set<string> | undefined => {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw bad(`${name} must be given once, as a comma-separated list`);
  return new Set(
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
};

const encodeNext = (p: Position) => Buffer.from(JSON.stringify(p.kind === 'indicator' ? ['i', p.at, p.id, p.skip] : ['r', p.skip])).toString('base64url');

function decodeNext(v: unknown): Position {
  try {
    if (typeof v !== 'string') throw new Error('given twice');
    const a = JSON.parse(Buffer.from(v, 'base64url').toString('utf8')) as unknown[];
    const skip = a.at(-1);
    if (typeof skip !== 'number' || !Number.isInteger(skip) || skip < 0) throw new Error('skip');
    if (a[0] === 'r' && a.length === 2) return { kind: 'references', skip };
    if (a[0] === 'i' && a.length === 4 && typeof a[1] === 'string' && typeof a[2] === 'string') return { kind: 'indicator', at: a[1], id: a[2], skip };
    throw new Error('shape');
  } catch {
    throw bad('next is not a value this server gave');
  }
}

/** The filters and page of a request's query (TAXII 2.1, section 3.4), or a 400. */
export function readQuery(q: Record<string, unknown>): PageQuery {
  const match = (q.match ?? {}) as Record<string, unknown>;
  const out: PageQuery = { limit: MAX_PAGE };
  if (q.added_after !== undefined) out.addedAfter = timestamp(q.added_after, 'added_after');
  if (q.limit !== undefined) {
    const n = typeof q.limit === 'string' && /^\d+$/.test(q.limit) ? Number(q.limit) : NaN;
    if (!(n >= 1)) throw bad('limit must be a positive integer');
    out.limit = Math.min(n, MAX_PAGE);
  }
  if (q.next !== undefined) out.after = decodeNext(q.next);
  const ids = list(match.id ?? q['match[id]'], 'match[id]');
  const types = list(match.type ?? q['match[type]'], 'match[type]');
  if (ids) out.ids = ids;
  if (types) out.types = types;
  return out;
}

/**
 * The query of up to `limit` indicators of the workspace from a keyset position, in (updated_at, id)
 * order: it seeks and reads in the order of the index indicators_keyset (migration 13), so a page
 * costs its rows, not the workspace's (its EXPLAIN is checked by the migration's test).
 */
export function keysetQuery(workspaceId: string, from: { at: string; id: string; inclusive: boolean } | undefined, addedAfter: string | undefined, limit: number) {
  const where = ['workspace_id = ?'];
  const params: SqlValue[] = [workspaceId];
  if (addedAfter !== undefined) {
    where.push('updated_at > ?');
    params.push(addedAfter);
  }
  if (from) {
    where.push(`(updated_at > ? OR (updated_at = ? AND id ${from.inclusive ? '>=' : '>'} ?))`);
    params.push(from.at, from.at, from.id);
  }
  return { sql: `SELECT * FROM indicators WHERE ${where.join(' AND ')} ORDER BY updated_at, id LIMIT ?`, params: [...params, limit] };
}

async function indicatorsFrom(db: Db, workspaceId: string, from: { at: string; id: string; inclusive: boolean } | undefined, addedAfter: string | undefined, limit: number) {
  const { sql, params } = keysetQuery(workspaceId, from, addedAfter, limit);
  return db.all<IndicatorRow>(sql, params);
}

/** The rows of `table` for some indicators, in their order of creation. */
async function ofIndicators<R extends { indicator_id: string }>(db: Db, table: 'indicator_sightings' | 'indicator_comments', ids: string[]): Promise<Map<string, R[]>> {
  const out = new Map<string, R[]>();
  if (!ids.length) return out;
  const rows = await db.all<R>(`SELECT * FROM ${table} WHERE indicator_id IN (${ids.map(() => '?').join(', ')}) ORDER BY created_at, id`, ids);
  for (const r of rows) (out.get(r.indicator_id) ?? out.set(r.indicator_id, []).get(r.indicator_id)!).push(r);
  return out;
}

/** ATT&CK technique names by id, for attack-pattern names. */
function techniqueNames(ctx: AppContext): Map<string, string> {
  const catalog = catalogFor(ctx.config.dataDir);
  const names = new Map<string, string>();
  for (const d of attackDomainSchema.options) for (const t of catalog.get(d).index().techniques) names.set(t.id, t.name);
  return names;
}

interface Reader {
  ctx: AppContext;
  ws: Workspace;
  team: Team;
  teams: TeamIndex;
  names: Map<string, string>;
}

/** The STIX objects of one indicator the team may see (its sightings, and the comments the team may see). */
function indicatorObjects(r: Reader, row: IndicatorRow, sightings: SightingRow[], comments: CommentRow[]): StixObject[] {
  const data: HandoffData = {
    workspace: r.ws,
    recipient: r.team,
    teams: [...r.teams.all],
    generatedAt: r.ws.createdAt,
    indicators: [presentIndicator(row, r.teams)],
    sightings: new Map([[row.id, sightings.map((s) => presentSighting(s, r.teams))]]),
    comments: new Map([[row.id, comments.filter((c) => canSee(r.team.id, markedItem(c))).map((c) => presentComment(c, r.teams))]]),
    notes: [],
    marks: [],
    techniqueNames: r.names,
    // The feed is of indicators: the hunt operation's items do not travel through TAXII.
    hunt: EMPTY_HUNT,
  };
  const bundle = buildStixBundle(data) as { objects?: StixObject[] };
  return (bundle.objects ?? []).filter((o) => !REFERENCE_TYPES.has(o.type));
}

/**
 * The objects the indicators refer to, for everything the team may see in the workspace: read from
 * the marking columns only (no STIX is built for the indicators). Their `created` is the workspace's,
 * so each keeps one version from poll to poll.
 */
async function referenceObjects(r: Reader): Promise<StixObject[]> {
  const { db } = r.ctx;
  const visible = new Set<string>();
  const teamIds = new Set<string>();
  const levels = new Set<TlpLevel>();
  const techniques = new Set<string>();
  const rows = await db.all<{ id: string; tlp: TlpLevel; releasable_to: string; owner_team_id: string; techniques: string }>(
    'SELECT id, tlp, releasable_to, owner_team_id, techniques FROM indicators WHERE workspace_id = ?',
    [r.ws.id],
  );
  for (const row of rows) {
    if (!canSee(r.team.id, markedItem(row))) continue;
    visible.add(row.id);
    teamIds.add(row.owner_team_id);
    levels.add(row.tlp);
    for (const t of JSON.parse(row.techniques) as string[]) techniques.add(t);
  }
  await yieldToLoop();
  const sightings = await db.all<{ indicator_id: string; team_id: string }>(
    'SELECT s.indicator_id, s.team_id FROM indicator_sightings s JOIN indicators i ON i.id = s.indicator_id WHERE i.workspace_id = ?',
    [r.ws.id],
  );
  for (const s of sightings) if (visible.has(s.indicator_id)) teamIds.add(s.team_id);
  const comments = await db.all<{ indicator_id: string; team_id: string; tlp: TlpLevel; releasable_to: string }>(
    'SELECT c.indicator_id, c.team_id, c.tlp, c.releasable_to FROM indicator_comments c JOIN indicators i ON i.id = c.indicator_id WHERE i.workspace_id = ?',
    [r.ws.id],
  );
  for (const c of comments) {
    if (!visible.has(c.indicator_id) || !canSee(r.team.id, markedItem(c))) continue;
    teamIds.add(c.team_id);
    levels.add(c.tlp);
  }
  // The board's observed techniques, when the board is releasable to the team (as in the STIX export).
  const board = await docStore.meta(db, boardDocId(r.ws.id));
  if (board && canSee(r.team.id, board)) {
    const doc = await docState(r.ctx, board.id);
    for (const m of readMarks(doc)) if (m.status === 'observed') techniques.add(m.techniqueId);
    doc.destroy();
  }

  const at = r.ws.createdAt;
  const out: StixObject[] = [];
  for (const t of r.teams.all.filter((x) => teamIds.has(x.id))) {
    out.push({ type: 'identity', id: stixId('identity', t.id), spec_version: '2.1', created: at, modified: at, name: `${t.name} (${t.code})`, identity_class: 'organization' });
  }
  if (visible.size) out.push(HUNTROOM_IDENTITY as StixObject, huntroomExtensionDefinition() as StixObject);
  for (const level of levels) out.push(stixMarkingDefinition(level) as StixObject);
  for (const t of [...techniques].sort()) {
    // Public MITRE knowledge: no marking of ours applies.
    out.push({
      type: 'attack-pattern',
      id: stixId('attack-pattern', t),
      spec_version: '2.1',
      created: at,
      modified: at,
      name: r.names.get(t) ?? t,
      external_references: [{ source_name: 'mitre-attack', external_id: t, url: `https://attack.mitre.org/techniques/${t.replace('.', '/')}/` }],
    });
  }
  return out;
}

/** One page of the collection for the team, after the query's position and filters. */
export async function collectionPage(ctx: AppContext, ws: Workspace, team: Team, q: PageQuery): Promise<Page> {
  const r: Reader = { ctx, ws, team, teams: new TeamIndex(await teamStore.list(ctx.db)), names: techniqueNames(ctx) };
  const items: Entry[] = [];
  const wanted = (o: StixObject) => (!q.ids || q.ids.has(o.id)) && (!q.types || q.types.has(o.type));
  /** Adds the objects of one position on; false when the page is full and `more` follows. */
  let next: Position | undefined;
  const fill = (objects: StixObject[], dateAdded: string, skip: number, position: (served: number) => Position): boolean => {
    const shown = objects.filter(wanted);
    for (let k = skip; k < shown.length; k++) {
      if (items.length === q.limit) {
        next = position(k);
        return false;
      }
      items.push({ object: shown[k]!, dateAdded });
    }
    return true;
  };

  if (q.after?.kind !== 'references') {
    const start = q.after;
    let from = start ? { at: start.at, id: start.id, inclusive: true } : undefined;
    /** Serves the objects of `rows` (in keyset order) the team may see; false when the page is full. */
    const serve = async (rows: IndicatorRow[]): Promise<boolean> => {
      const seen = rows.filter((row) => canSee(team.id, markedItem(row)));
      const ids = seen.map((row) => row.id);
      const sightings = await ofIndicators<SightingRow>(ctx.db, 'indicator_sightings', ids);
      const comments = await ofIndicators<CommentRow>(ctx.db, 'indicator_comments', ids);
      for (const row of seen) {
        const skip = start && row.id === start.id && row.updated_at === start.at ? start.skip : 0;
        const objects = indicatorObjects(r, row, sightings.get(row.id) ?? [], comments.get(row.id) ?? []);
        if (!fill(objects, row.updated_at, skip, (served) => ({ kind: 'indicator', at: row.updated_at, id: row.id, skip: served }))) return false;
      }
      return true;
    };
    if (q.ids) {
      // Asked by id: only the indicators holding those objects are read and built (byId.ts), in the
      // walk's order and after the same position, so the answer and its `next` are the walk's.
      const held = await indicatorsHolding(ctx.db, ws.id, q.ids);
      const rows = (await indicatorStore.manyById(ctx.db, ws.id, [...held]))
        .filter((row) => (q.addedAfter === undefined || row.updated_at > q.addedAfter) && (!from || row.updated_at > from.at || (row.updated_at === from.at && row.id >= from.id)))
        .sort((a, b) => (a.updated_at !== b.updated_at ? (a.updated_at < b.updated_at ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      if (!(await serve(rows))) return { items, more: true, next: encodeNext(next!) };
    } else {
      // An indicator is at least one object: a page rarely needs more rows than its limit.
      const batch = Math.min(BATCH, q.limit + 1);
      for (;;) {
        const rows = await indicatorsFrom(ctx.db, ws.id, from, q.addedAfter, batch);
        if (!(await serve(rows))) return { items, more: true, next: encodeNext(next!) };
        if (rows.length < batch) break;
        from = { at: rows.at(-1)!.updated_at, id: rows.at(-1)!.id, inclusive: false };
        await yieldToLoop();
      }
    }
  }

  const now = new Date().toISOString();
  // Ids that can only be an indicator's own objects need none of the closing ones (all filtered out).
  if ((q.addedAfter === undefined || now > q.addedAfter) && (!q.ids || mayBeReference(q.ids))) {
    const skip = q.after?.kind === 'references' ? q.after.skip : 0;
    if (!fill(await referenceObjects(r), now, skip, (served) => ({ kind: 'references', skip: served }))) return { items, more: true, next: encodeNext(next!) };
  }
  return { items, more: false };
}

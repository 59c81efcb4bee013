/**
 * The objects of one collection, as the caller's team sees them, and their TAXII pages.
 *
 * The objects are the STIX 2.1 export of the workspace for the caller's own team (collectForRecipient
 * with that team as caller and recipient, then buildStixBundle): markings are decided by the same
 * `canSee` as every other path out of the server, and no format-specific code can reach around it.
 *
 * `date_added` of an object is its STIX `modified` (for an indicator, when the record was last
 * updated; sightings their creation; marking definitions their fixed `created`). Objects without a
 * time of their own in Huntroom (team identities, ATT&CK attack-patterns) carry the time of the
 * request, so they come with every poll: they are small, and a client needs them to resolve refs.
 * Pages are ordered by (date_added, id); `next` is that pair of the page's last object, so a page
 * boundary holds even when records change between requests.
 */
import type { AppContext } from '../context.js';
import type { Workspace } from '@huntroom/shared';
import type { Team } from '@huntroom/shared';
import { attackDomainSchema } from '@huntroom/shared';
import { catalogFor } from '../attack/catalog.js';
import { collectForRecipient } from '../exports/collect.js';
import { buildStixBundle } from '../exports/formats/stix.js';
import { TaxiiError } from './errors.js';

export const MAX_PAGE = 1_000;

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
  /** Milliseconds of dateAdded, for ordering and filters. */
  at: number;
}

export interface PageQuery {
  addedAfter?: number;
  limit: number;
  after?: { at: number; id: string };
  ids?: Set<string>;
  types?: Set<string>;
}

const bad = (description: string) => new TaxiiError(400, 'Bad request', description);

function timestamp(v: unknown, name: string): number {
  const at = typeof v === 'string' ? Date.parse(v) : NaN;
  if (!Number.isFinite(at)) throw bad(`${name} must be an RFC 3339 timestamp`);
  return at;
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

export const encodeNext = (e: Entry) => Buffer.from(JSON.stringify([e.at, e.object.id])).toString('base64url');

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
  if (q.next !== undefined) {
    try {
      if (typeof q.next !== 'string') throw new Error('given twice');
      const [at, id] = JSON.parse(Buffer.from(q.next, 'base64url').toString('utf8')) as [unknown, unknown];
      if (typeof at !== 'number' || typeof id !== 'string') throw new Error('shape');
      out.after = { at, id };
    } catch {
      throw bad('next is not a value this server gave');
    }
  }
  const ids = list(match.id ?? q['match[id]'], 'match[id]');
  const types = list(match.type ?? q['match[type]'], 'match[type]');
  if (ids) out.ids = ids;
  if (types) out.types = types;
  return out;
}

/** Every STIX object of the workspace the caller's team may see, in page order. */
export async function collectionEntries(ctx: AppContext, ws: Pick<Workspace, 'id' | 'name' | 'description'>, team: Team): Promise<Entry[]> {
  const catalog = catalogFor(ctx.config.dataDir);
  const names = new Map<string, string>();
  for (const d of attackDomainSchema.options) for (const t of catalog.get(d).index().techniques) names.set(t.id, t.name);
  const data = await collectForRecipient(ctx, ws, team, names, team.id);
  // An empty bundle has no `objects` key (STIX 2.1 refuses an empty list).
  const bundle = buildStixBundle(data) as { objects?: StixObject[] };
  const entries = (bundle.objects ?? []).map((object) => {
    const dateAdded = object.modified ?? object.created ?? data.generatedAt;
    return { object, dateAdded, at: Date.parse(dateAdded) };
  });
  return entries.sort((a, b) => a.at - b.at || (a.object.id < b.object.id ? -1 : a.object.id > b.object.id ? 1 : 0));
}

/** One page of the filtered entries, and whether more follow. */
export function page(entries: Entry[], q: PageQuery): { items: Entry[]; more: boolean } {
  const items: Entry[] = [];
  for (const e of entries) {
    if (q.addedAfter !== undefined && e.at <= q.addedAfter) continue;
    if (q.after && (e.at < q.after.at || (e.at === q.after.at && e.object.id <= q.after.id))) continue;
    if (q.ids && !q.ids.has(e.object.id)) continue;
    if (q.types && !q.types.has(e.object.type)) continue;
    if (items.length === q.limit) return { items, more: true };
    items.push(e);
  }
  return { items, more: false };
}

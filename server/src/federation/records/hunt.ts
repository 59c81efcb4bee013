/**
 * Hunt items at the replica (networks, hosts, findings, timeline events): the home attaches the item's
 * row to its created and updated events (border.ts, only when the row is as the event marks it), so the
 * replica writes the row as the home has it, with the home's ids, through the same table stores. The
 * row's columns are checked against the kind's list and its marking against the event's audience.
 * A delete or revoke removes the replica row; a narrowing re-marks the local history as at the home.
 */
import * as z from 'zod';
import type { MarkedItem } from '@huntroom/shared';
import type { Db, SqlValue } from '../../storage/db.js';
import { recordStore } from '../../records/store.js';
import { networkStore } from '../../hunt/networks/store.js';
import { HOST_COLUMNS, hostStore } from '../../hunt/hosts/store.js';
import { findingStore } from '../../hunt/findings/store.js';
import { sampleStore } from '../../hunt/samples/store.js';
import { timelineStore } from '../../hunt/timeline/store.js';
import { BASE_COLUMNS, type MarkedRow } from '../../hunt/common/rows.js';
import { FederationRefusal } from '../channel.js';
import type { Applier } from './apply.js';

interface HuntTable {
  table: string;
  /** The payload key of the view in `<kind>:created|updated`. */
  key: string;
  columns: readonly string[];
  store: {
    get(db: Db, workspaceId: string, id: string): Promise<MarkedRow | undefined>;
    insertMany(tx: Db, rows: readonly MarkedRow[]): Promise<void>;
    save(tx: Db, r: MarkedRow): Promise<void>;
    delete(tx: Db, workspaceId: string, id: string): Promise<void>;
  };
}

const store = (s: object) => s as HuntTable['store'];

/** The hunt kinds that cross, in the order a baseline sends them (parents first). */
export const HUNT_TABLES: Record<string, HuntTable> = {
  network: {
    table: 'hunt_networks',
    key: 'network',
    columns: [...BASE_COLUMNS, 'name', 'partner', 'hunting_team_id', 'period_from', 'period_to', 'rules_of_engagement'],
    store: store(networkStore),
  },
  host: {
    table: 'hunt_hosts',
    key: 'host',
    columns: HOST_COLUMNS,
    store: store(hostStore),
  },
  finding: {
    table: 'hunt_findings',
    key: 'finding',
    columns: [...BASE_COLUMNS, 'host_id', 'network_id', 'kind', 'severity', 'status', 'title', 'description', 'indicator_ids', 'techniques', 'related_finding_ids'],
    store: store(findingStore),
  },
  timeline: {
    table: 'hunt_timeline',
    key: 'event',
    columns: [...BASE_COLUMNS, 'at', 'source_time_zone', 'host_id', 'network_id', 'description', 'source', 'team_id', 'indicator_ids', 'techniques', 'finding_ids'],
    store: store(timelineStore),
  },
};

/** Whether a row is marked as the event's item is (the row read after the command may be newer). */
export const rowMarkedAs = (row: { tlp: string; releasable_to: string; owner_team_id: string }, item: MarkedItem): boolean =>
  row.tlp === item.marking.tlp && row.releasable_to === JSON.stringify(item.marking.releasableTo) && row.owner_team_id === item.ownerTeamId;

const cell = z.union([z.string().max(1_000_000), z.number(), z.null()]);
export const wireRowSchema = z.record(z.string().max(40), cell);

async function ownedRow(tx: Db, t: HuntTable, kind: string, workspaceId: string, id: string, linkName: string): Promise<MarkedRow | undefined> {
  const row = await t.store.get(tx, workspaceId, id);
  if (!row) return undefined;
  const home = await tx.get<{ home_link: string | null }>('SELECT home_link FROM teams WHERE id = ?', [row.owner_team_id]);
  if (home?.home_link !== linkName) throw new FederationRefusal(`${linkName} sent a change to ${kind} ${id}, which is not homed there`);
  return row;
}

function rowOf(t: HuntTable, kind: string, raw: unknown, workspaceId: string, recordId: string, item: MarkedItem, seq: number, existing: MarkedRow | undefined): MarkedRow {
  const parsed = wireRowSchema.safeParse(raw);
  if (!parsed.success) throw new FederationRefusal(`${kind}: its row is malformed`);
  const r = parsed.data;
  const keys = Object.keys(r);
  const extra = keys.filter((k) => !t.columns.includes(k));
  const missing = t.columns.filter((c) => !(c in r));
  if (extra.length || missing.length) throw new FederationRefusal(`${kind}: its row has columns ${extra.join(', ') || '-'} and lacks ${missing.join(', ') || '-'}`);
  if (r.id !== recordId || r.workspace_id !== workspaceId) throw new FederationRefusal(`${kind}: row ${String(r.id)} sent as record ${recordId}`);
  if (typeof r.tlp !== 'string' || typeof r.releasable_to !== 'string' || typeof r.owner_team_id !== 'string' || !rowMarkedAs(r as never, item))
    throw new FederationRefusal(`${kind}: the row's marking differs from its event's`);
  const row = { ...r } as Record<string, SqlValue>;
  row.created_seq = existing ? Number(existing.created_seq) : seq;
  row.updated_seq = seq;
  return row as unknown as MarkedRow;
}

/** The payload with this instance's seq on the view it carries (clients keep the newer copy by it). */
function withSeq(payload: unknown, key: string, seq: number): unknown {
  const p = payload as Record<string, unknown> | null;
  const view = p?.[key];
  if (!p || typeof view !== 'object' || view === null) return payload;
  return { ...p, [key]: { ...view, updatedSeq: seq } };
}

/**
 * Removes a replica row and the replica rows that hang off it (a narrowed network's hosts, a host's
 * findings and timeline events): the home narrows them with their parent (hunt/common/children.ts) and
 * their own revokes follow in the same message, but the parent goes first and the references would stop it.
 * A finding's samples go with it.
 */
async function dropWithChildren(tx: Db, kind: string, workspaceId: string, id: string): Promise<void> {
  if (kind === 'network') {
    for (const h of await tx.all<{ id: string }>('SELECT id FROM hunt_hosts WHERE workspace_id = ? AND network_id = ?', [workspaceId, id]))
      await dropWithChildren(tx, 'host', workspaceId, h.id);
  }
  if (kind === 'host') {
    for (const f of await tx.all<{ id: string }>('SELECT id FROM hunt_findings WHERE workspace_id = ? AND host_id = ?', [workspaceId, id]))
      await sampleStore.deleteForFinding(tx, workspaceId, f.id);
    await tx.run('DELETE FROM hunt_findings WHERE workspace_id = ? AND host_id = ?', [workspaceId, id]);
    await tx.run('DELETE FROM hunt_timeline WHERE workspace_id = ? AND host_id = ?', [workspaceId, id]);
  }
  // A finding's samples (their metadata: the bytes never crossed) are seen as the finding is: they go with it.
  if (kind === 'finding') await sampleStore.deleteForFinding(tx, workspaceId, id);
  await HUNT_TABLES[kind]!.store.delete(tx, workspaceId, id);
}

function appliersOf(kind: string, t: HuntTable): Record<string, Applier> {
  const upsert: Applier = async (tx, { link, workspaceId, event, seq }) => {
    const existing = await ownedRow(tx, t, kind, workspaceId, event.recordId, link.name);
    // No row: the item changed again later in the same command; that later event carries it.
    if (event.row === undefined) return withSeq(event.payload, t.key, seq);
    const row = rowOf(t, kind, event.row, workspaceId, event.recordId, event.audience.item, seq, existing);
    if (existing) {
      await t.store.save(tx, row);
      if (!rowMarkedAs(existing, event.audience.item)) await recordStore.remark(tx, workspaceId, event.recordId, event.audience.item);
    } else await t.store.insertMany(tx, [row]);
    return withSeq(event.payload, t.key, seq);
  };
  const remove: Applier = async (tx, { link, workspaceId, event }) => {
    const row = await ownedRow(tx, t, kind, workspaceId, event.recordId, link.name);
    if (row) await dropWithChildren(tx, kind, workspaceId, row.id);
    if (event.type.endsWith(':revoked')) {
      if (!event.audience.unless) throw new FederationRefusal(`${event.type}: a revoke needs the new marking`);
      await recordStore.remark(tx, workspaceId, event.recordId, event.audience.unless);
    }
    return event.payload;
  };
  return { [`${kind}:created`]: upsert, [`${kind}:updated`]: upsert, [`${kind}:deleted`]: remove, [`${kind}:revoked`]: remove };
}

export const huntAppliers: Record<string, Applier> = {};
for (const [kind, t] of Object.entries(HUNT_TABLES)) Object.assign(huntAppliers, appliersOf(kind, t));

/**
 * Narrowing a parent narrows what hangs from it (issue 18, item 3): when a network, host or finding
 * is re-marked, every item referring to it (hosts of a network; findings and events on a host; findings
 * relating to a finding and events naming it), and in turn what refers to those, that some team would
 * see without seeing its parent takes `narrowWithin` (shared/): the teams that saw it and see the
 * parent, at the stricter level. Each such item is re-marked in the same transaction as the parent,
 * with `<kind>:updated` and `<kind>:revoked` to the teams that lost it, like any re-mark, so a team
 * that loses sight of a network loses its hosts, findings, samples and events with it, live and on
 * catch-up. What users expect of "this network is now US only" is that nothing in it stays visible to
 * others; leaving the children wider (the first version) let a team keep reading a host of a network
 * it could no longer see.
 *
 * An item whose own team would lose sight of the parent cannot be hidden from that team (an owner
 * always sees its items), so the narrowing is refused (409) naming those items and teams, and nothing
 * changes: keep the team in the parent's list, or have those items moved or deleted first.
 */
import { canSee, narrowWithin, teamsExposedByCopy, type MarkedItem } from '@huntroom/shared';
import type { CommandContext } from '../../records/command.js';
import type { TeamIndex } from '../../indicators/present.js';
import { conflict } from '../../http/errors.js';
import type { Db } from '../../storage/db.js';
import { hostStore, type HostRow } from '../hosts/store.js';
import { presentHost } from '../hosts/present.js';
import { findingStore, type FindingRow } from '../findings/store.js';
import { presentFinding } from '../findings/present.js';
import { timelineStore, type TimelineRow } from '../timeline/store.js';
import { presentTimelineEvent } from '../timeline/present.js';
import { changedColumns, list, markedItem, type MarkedRow } from './rows.js';
import { KIND_LABEL, remarkItem, type HuntKindName } from './rules.js';

export interface ChildRef {
  kind: HuntKindName;
  id: string;
}

type ChildKind = 'host' | 'finding' | 'timeline';
type Marks = Pick<MarkedRow, 'id' | 'tlp' | 'releasable_to' | 'owner_team_id'>;

const MARKS = 'id, tlp, releasable_to, owner_team_id';
/** What refers to an item of each kind; `like` matches the id quoted inside a JSON list column. */
const QUERIES: Partial<Record<HuntKindName, { kind: ChildKind; sql: string; like?: boolean }[]>> = {
  network: [{ kind: 'host', sql: `SELECT ${MARKS} FROM hunt_hosts WHERE workspace_id = ? AND network_id = ?` }],
  host: [
    { kind: 'finding', sql: `SELECT ${MARKS} FROM hunt_findings WHERE workspace_id = ? AND host_id = ?` },
    { kind: 'timeline', sql: `SELECT ${MARKS} FROM hunt_timeline WHERE workspace_id = ? AND host_id = ?` },
  ],
  finding: [
    { kind: 'finding', sql: `SELECT ${MARKS} FROM hunt_findings WHERE workspace_id = ? AND related_finding_ids LIKE ?`, like: true },
    { kind: 'timeline', sql: `SELECT ${MARKS} FROM hunt_timeline WHERE workspace_id = ? AND finding_ids LIKE ?`, like: true },
  ],
};

/** Each child kind's full row: read, presented under its event key, saved, and named in a refusal. */
interface ChildKindDef {
  key: string;
  get(db: Db, workspaceId: string, id: string): Promise<MarkedRow | undefined>;
  save(db: Db, r: MarkedRow): Promise<void>;
  present(r: MarkedRow, teams: TeamIndex): { updatedSeq: number };
  name(r: MarkedRow): string;
}
const KINDS: Record<ChildKind, ChildKindDef> = {
  host: {
    key: 'host',
    get: (db, ws, id) => hostStore.get(db, ws, id),
    save: (db, r) => hostStore.save(db, r as HostRow),
    present: (r, t) => presentHost(r as HostRow, t),
    name: (r) => (r as HostRow).hostname || list((r as HostRow).addresses)[0] || r.id,
  },
  finding: {
    key: 'finding',
    get: (db, ws, id) => findingStore.get(db, ws, id),
    save: (db, r) => findingStore.save(db, r as FindingRow),
    present: (r, t) => presentFinding(r as FindingRow, t),
    name: (r) => (r as FindingRow).title,
  },
  timeline: {
    key: 'event',
    get: (db, ws, id) => timelineStore.get(db, ws, id),
    save: (db, r) => timelineStore.save(db, r as TimelineRow),
    present: (r, t) => presentTimelineEvent(r as TimelineRow, t),
    name: (r) => (r as TimelineRow).description.slice(0, 60),
  },
};

type Ctx = Pick<CommandContext, 'tx' | 'workspace' | 'account' | 'at' | 'record' | 'audit'>;

/**
 * Re-marks every descendant of the (already re-marked and saved) item `id` that would be wider than
 * what it refers to; answers those the caller sees. Throws 409 (nothing written: the command's
 * transaction rolls back) when a descendant's owner team would lose sight of its parent.
 */
export async function narrowChildren(c: Ctx, teams: TeamIndex, kind: HuntKindName, id: string, item: MarkedItem): Promise<ChildRef[]> {
  const all = teams.all.map((t) => t.id);
  const narrowed: ChildRef[] = [];
  const blocked: { kind: ChildKind; id: string; team: string }[] = [];
  // Breadth first; an item is walked again only with a marking it was not walked with (related
  // findings may refer to each other, and an event to both a host and a finding).
  const queue: { kind: HuntKindName; id: string; item: MarkedItem }[] = [{ kind, id, item }];
  const walked = new Set<string>([`${id}|${JSON.stringify(item.marking)}`]);
  while (queue.length) {
    const parent = queue.shift()!;
    for (const q of QUERIES[parent.kind] ?? []) {
      const rows = await c.tx.all<Marks>(q.sql, [c.workspace.id, q.like ? `%${JSON.stringify(parent.id)}%` : parent.id]);
      for (const r of rows) {
        let child = markedItem(r);
        if (teamsExposedByCopy(parent.item, child, all).length) {
          const marking = narrowWithin(child, parent.item, all);
          if (!marking) {
            blocked.push({ kind: q.kind, id: r.id, team: r.owner_team_id });
            continue;
          }
          const was = child;
          child = { marking, ownerTeamId: r.owner_team_id };
          await remarkChild(c, teams, q.kind, r.id, was, child);
          if (canSee(c.account.team.id, child) && !narrowed.some((n) => n.id === r.id)) narrowed.push({ kind: q.kind, id: r.id });
        }
        const key = `${r.id}|${JSON.stringify(child.marking)}`;
        if (!walked.has(key)) {
          walked.add(key);
          queue.push({ kind: q.kind, id: r.id, item: child });
        }
      }
    }
  }
  if (blocked.length) throw conflict(await refusal(c, teams, blocked));
  return narrowed;
}

/** Saves the child's new marking, records `<kind>:updated` and the revoke, audits (common/rules.ts remarkItem). */
async function remarkChild(c: Ctx, teams: TeamIndex, kind: ChildKind, id: string, was: MarkedItem, now: MarkedItem): Promise<void> {
  const k = KINDS[kind];
  const before = await k.get(c.tx, c.workspace.id, id);
  if (!before) return;
  const next: MarkedRow = { ...before, tlp: now.marking.tlp, releasable_to: JSON.stringify(now.marking.releasableTo), updated_at: c.at };
  const view = k.present(next, teams);
  next.updated_seq = view.updatedSeq = await c.record({
    type: `${kind}:updated`,
    recordId: id,
    payload: { [k.key]: view, changes: changedColumns(before, next), narrowedWithParent: true },
    audience: { item: now },
  });
  await remarkItem(c as CommandContext, kind, id, was, now);
  await k.save(c.tx, next);
}

/** "CA keeps seeing its own host dc01 …": the items the caller sees by name, the others by count. */
async function refusal(c: Ctx, teams: TeamIndex, blocked: { kind: ChildKind; id: string; team: string }[]): Promise<string> {
  const parts: string[] = [];
  for (const team of [...new Set(blocked.map((b) => b.team))]) {
    const mine = blocked.filter((b) => b.team === team);
    const named: string[] = [];
    let unseen = 0;
    for (const b of mine) {
      const k = KINDS[b.kind];
      const row = await k.get(c.tx, c.workspace.id, b.id);
      if (row && canSee(c.account.team.id, markedItem(row))) named.push(`${KIND_LABEL[b.kind]} "${k.name(row)}"`);
      else unseen++;
    }
    if (unseen) named.push(`${unseen} item${unseen === 1 ? '' : 's'} only they see`);
    parts.push(`${teams.codes([team])[0]} would lose sight of it but keeps seeing its own ${named.join(', ')}`);
  }
  return `this narrowing would leave items visible without what they belong to: ${parts.join('; ')}. A team always sees its own items: keep that team in releasableTo, or have those items moved or deleted first`;
}

/**
 * What an audit row is about, and whether a viewer may see that (issue 15, metadata). A row naming an
 * indicator, a comment or a document tells its id, type and marking: to a team that may not see the
 * item, that is itself a leak. So each row is shown only when the viewer's team may see every item it
 * is about, through `canSee` as for any other path:
 * - the item as it is now (a narrowed marking hides its whole history from those who lost sight), and
 *   the item as it was when the row was written, when the row stored it (`about`);
 * - an item that no longer exists is judged by the newest marking the trail stored for it (its deletion
 *   row stores the marking it had when deleted); with none stored, the row is hidden (fail closed).
 * Rows without stored subjects (older rows, writers that pass none) are matched to items by the ids in
 * their detail, by action.
 */
import { canSee, type MarkedItem, type TlpLevel } from '@huntroom/shared';
import type { Db } from '../storage/db.js';
import { markedItem } from '../indicators/store.js';

export type AuditSubjectKind = 'indicator' | 'comment' | 'document' | HuntSubjectKind;
/** Hunt items (issue 18): their rows always store `about`; the ids in the detail are the fallback. */
export type HuntSubjectKind = 'network' | 'host' | 'finding' | 'timeline';
const HUNT_TABLES: Record<HuntSubjectKind, string> = { network: 'hunt_networks', host: 'hunt_hosts', finding: 'hunt_findings', timeline: 'hunt_timeline' };

export interface AuditSubject extends MarkedItem {
  kind: AuditSubjectKind;
  id: string;
}

/** A subject without a marking: the item is known only by its id (looked up when read). */
export type SubjectRef = Pick<AuditSubject, 'kind' | 'id'> & Partial<MarkedItem>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** The items a row's action and detail name, when the row stored none. */
export function inferSubjects(workspaceId: string | null, action: string, detail: Record<string, unknown>): SubjectRef[] {
  const out: SubjectRef[] = [];
  const [area] = action.split('.');
  if (area === 'indicator') {
    const id = str(detail.id);
    if (id) out.push({ kind: 'indicator', id });
    const comment = str(detail.comment);
    if (comment) out.push({ kind: 'comment', id: comment });
  } else if (area === 'note' || area === 'whiteboard') {
    const id = str(detail.noteId) ?? str(detail.whiteboardId) ?? str(detail.id);
    if (id) out.push({ kind: 'document', id });
  } else if (area === 'hunt') {
    const kind = action.split('.')[1] as HuntSubjectKind;
    const id = str(detail.id);
    if (id && kind in HUNT_TABLES) out.push({ kind, id });
  } else if (area === 'attack' && workspaceId && action !== 'attack.imported') {
    // The board's marks and marking are content under the board's marking.
    out.push({ kind: 'document', id: `attack-${workspaceId}` });
  }
  return out;
}

type Marked = { tlp: TlpLevel; releasable_to: string; owner_team_id: string };
type Row = Marked & { id: string };
const key = (kind: AuditSubjectKind, id: string) => `${kind}:${id}`;

/** Rows for `ids` in chunks (parameter limits); `lead` are the parameters before the id list. */
async function lookup<R>(db: Db, sql: (marks: string) => string, ids: string[], lead: string[] = []): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < ids.length; i += 400) {
    const chunk = ids.slice(i, i + 400);
    out.push(...(await db.all<R>(sql(chunk.map(() => '?').join(', ')), [...lead, ...chunk])));
  }
  return out;
}

/** The current markings of every named item that still exists (a comment also needs its indicator's). */
export async function currentItems(db: Db, workspaceId: string, refs: SubjectRef[]): Promise<Map<string, MarkedItem[]>> {
  const ids = (k: AuditSubjectKind) => [...new Set(refs.filter((r) => r.kind === k).map((r) => r.id))];
  const found = new Map<string, MarkedItem[]>();
  const cols = 'id, tlp, releasable_to, owner_team_id';
  for (const r of await lookup<Row>(db, (m) => `SELECT ${cols} FROM indicators WHERE workspace_id = ? AND id IN (${m})`, ids('indicator'), [workspaceId])) {
    found.set(key('indicator', r.id), [markedItem(r)]);
  }
  const comments = await lookup<Row & { ptlp: TlpLevel; prel: string; powner: string }>(
    db,
    (m) => `SELECT c.id, c.tlp, c.releasable_to, c.team_id AS owner_team_id, i.tlp AS ptlp, i.releasable_to AS prel, i.owner_team_id AS powner
      FROM indicator_comments c JOIN indicators i ON i.id = c.indicator_id WHERE i.workspace_id = ? AND c.id IN (${m})`,
    ids('comment'),
    [workspaceId],
  );
  for (const r of comments) found.set(key('comment', r.id), [markedItem(r), markedItem({ tlp: r.ptlp, releasable_to: r.prel, owner_team_id: r.powner })]);
  for (const r of await lookup<Row>(db, (m) => `SELECT ${cols} FROM documents WHERE workspace_id = ? AND id IN (${m})`, ids('document'), [workspaceId])) {
    found.set(key('document', r.id), [markedItem(r)]);
  }
  for (const [kind, table] of Object.entries(HUNT_TABLES) as [HuntSubjectKind, string][]) {
    for (const r of await lookup<Row>(db, (m) => `SELECT ${cols} FROM ${table} WHERE workspace_id = ? AND id IN (${m})`, ids(kind), [workspaceId])) {
      found.set(key(kind, r.id), [markedItem(r)]);
    }
  }
  return found;
}

/**
 * Decides rows newest first. `lastKnown` remembers, per item, the newest marking a row stored: rows
 * are read newest first, so the deletion row of a gone item is met before any older row about it.
 */
export class SubjectFilter {
  private readonly lastKnown = new Map<string, MarkedItem>();
  private readonly current = new Map<string, MarkedItem[]>();

  constructor(private readonly viewerTeamId: string) {}

  /** Current markings of existing items (from `currentItems`). */
  learn(current: Map<string, MarkedItem[]>): void {
    for (const [k, v] of current) this.current.set(k, v);
  }

  visible(subjects: SubjectRef[]): boolean {
    for (const s of subjects) {
      const k = key(s.kind, s.id);
      if (s.marking && s.ownerTeamId && !this.lastKnown.has(k)) this.lastKnown.set(k, { marking: s.marking, ownerTeamId: s.ownerTeamId });
    }
    return subjects.every((s) => {
      const stored = s.marking && s.ownerTeamId ? { marking: s.marking, ownerTeamId: s.ownerTeamId } : undefined;
      if (stored && !canSee(this.viewerTeamId, stored)) return false;
      const now = this.current.get(key(s.kind, s.id)) ?? [this.lastKnown.get(key(s.kind, s.id))].filter((x) => x !== undefined);
      return now.length > 0 && now.every((i) => canSee(this.viewerTeamId, i));
    });
  }
}

/**
 * Reads of the indicator board: list (filters, full-text, cursor paging, visible total), one with its
 * sightings, comments and history, and the sync snapshot. Every row passes `canSee` before it is
 * counted or returned, so a hidden indicator shows nowhere, not even in a total.
 */
import { canSee, type Account, type CommentView, type IndicatorView, type ListIndicatorsQuery, type RecordEvent, type SightingView } from '@huntroom/shared';
import type { Db } from '../storage/db.js';
import { teamStore } from '../teams/store.js';
import { recordStore } from '../records/store.js';
import { visibleTo } from '../records/visibility.js';
import { AppError } from '../http/errors.js';
import { requireVisible } from './policy.js';
import { presentComment, presentIndicator, presentSighting, TeamIndex } from './present.js';
import { indicatorStore, markedItem, type ScanRow } from './store.js';

export interface IndicatorPage {
  items: IndicatorView[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: number | null;
  /** Visible indicators matching the filters, all pages together. */
  total: number;
}

export interface IndicatorDetail {
  indicator: IndicatorView;
  sightings: SightingView[];
  comments: CommentView[];
  history: RecordEvent[];
}

const needsText = (q: ListIndicatorsQuery) => !!(q.tag || q.technique || q.q);

function matches(r: ScanRow, q: ListIndicatorsQuery): boolean {
  if (q.tag && !(JSON.parse(r.tags!) as string[]).includes(q.tag)) return false;
  if (q.technique && !(JSON.parse(r.techniques!) as string[]).includes(q.technique)) return false;
  if (q.q) {
    const needle = q.q.toLowerCase();
    const hay = `${r.value}\n${r.original_value}\n${r.source}\n${r.tags}\n${r.techniques}`.toLowerCase();
    if (!hay.includes(needle)) return false;
  }
  return true;
}

export async function listIndicators(db: Db, account: Account, workspaceId: string, q: ListIndicatorsQuery): Promise<IndicatorPage> {
  const teams = new TeamIndex(await teamStore.list(db));
  const teamId = q.team ? teams.idOf(q.team) : undefined;
  if (q.team && !teamId) throw new AppError('validation_failed', `no team ${q.team}`, { team: 'unknown team code' });
  const rows = await indicatorStore.scan(db, workspaceId, { type: q.type, status: q.status, teamId, tlp: q.tlp }, needsText(q));
  const visible = rows.filter((r) => canSee(account.team.id, markedItem(r)) && matches(r, q));
  const start = q.cursor === undefined ? 0 : visible.findIndex((r) => Number(r.created_seq) < q.cursor!);
  const limit = q.limit ?? 100;
  const page = start < 0 ? [] : visible.slice(start, start + limit);
  const last = page.at(-1);
  const more = start >= 0 && start + limit < visible.length;
  const full = new Map(
    (
      await indicatorStore.manyById(
        db,
        workspaceId,
        page.map((r) => r.id),
      )
    ).map((r) => [r.id, r]),
  );
  // A row deleted between the two reads is left out rather than shown half-loaded.
  const items = page.flatMap((r) => (full.has(r.id) ? [presentIndicator(full.get(r.id)!, teams)] : []));
  return { items, nextCursor: more && last ? Number(last.created_seq) : null, total: visible.length };
}

export async function getIndicator(db: Db, account: Account, workspaceId: string, id: string): Promise<IndicatorDetail> {
  const row = requireVisible(account, await indicatorStore.get(db, workspaceId, id));
  const teams = new TeamIndex(await teamStore.list(db));
  const parent = markedItem(row);
  const comments = (await indicatorStore.comments(db, id)).filter((c) => canSee(account.team.id, markedItem(c)) && canSee(account.team.id, parent));
  const history = (await recordStore.forRecord(db, workspaceId, id)).filter((l) => visibleTo(account.team.id, l.audience)).map((l) => l.event);
  // Only the authors of comments the caller may see are looked up.
  const authors = await indicatorStore.authors(
    db,
    comments.map((c) => c.account_id),
  );
  return {
    indicator: presentIndicator(row, teams),
    sightings: (await indicatorStore.sightings(db, id)).map((s) => presentSighting(s, teams)),
    comments: comments.map((c) => ({ ...presentComment(c, teams), author: authors.get(c.account_id) ?? { username: null, displayName: null } })),
    history,
  };
}

/** The sync snapshot: every indicator the team may see. */
export async function indicatorSnapshot(db: Db, workspaceId: string, teamId: string): Promise<IndicatorView[]> {
  const teams = new TeamIndex(await teamStore.list(db));
  const rows = await indicatorStore.all(db, workspaceId);
  return rows.filter((r) => canSee(teamId, markedItem(r))).map((r) => presentIndicator(r, teams));
}

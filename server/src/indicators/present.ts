/** Rows to wire shapes. Markings leave the server naming teams by code, as scripts expect. */
import type { CommentView, IndicatorView, SightingView, Team, TeamRef } from '@huntroom/shared';
import type { CommentRow, IndicatorRow, SightingRow } from './store.js';

/** The teams of this node, looked up both ways (there are a handful). */
export class TeamIndex {
  private readonly byId = new Map<string, Team>();
  private readonly byCode = new Map<string, Team>();
  constructor(readonly all: readonly Team[]) {
    for (const t of all) {
      this.byId.set(t.id, t);
      this.byCode.set(t.code, t);
    }
  }
  ref(id: string): TeamRef {
    return { id, code: this.byId.get(id)?.code ?? '?' };
  }
  codes(ids: readonly string[]): string[] {
    return ids.map((id) => this.byId.get(id)?.code ?? id);
  }
  idOf(code: string): string | undefined {
    return (this.byCode.get(code.toUpperCase()) ?? this.byId.get(code))?.id;
  }
}

export const presentIndicator = (r: IndicatorRow, teams: TeamIndex): IndicatorView => ({
  id: r.id,
  workspaceId: r.workspace_id,
  type: r.type,
  value: r.value,
  originalValue: r.original_value,
  status: r.status,
  confidence: Number(r.confidence),
  tlp: r.tlp,
  releasableTo: teams.codes(JSON.parse(r.releasable_to) as string[]),
  ownerTeam: teams.ref(r.owner_team_id),
  tags: JSON.parse(r.tags) as string[],
  techniques: JSON.parse(r.techniques) as string[],
  source: r.source,
  firstSeen: r.first_seen,
  lastSeen: r.last_seen,
  ...(r.valid_until ? { validUntil: r.valid_until } : {}),
  sightingCount: Number(r.sighting_count),
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  updatedSeq: Number(r.updated_seq),
});

export const presentSighting = (r: SightingRow, teams: TeamIndex): SightingView => ({
  id: r.id,
  indicatorId: r.indicator_id,
  team: teams.ref(r.team_id),
  accountId: r.account_id,
  seenAt: r.seen_at,
  context: r.context,
  note: r.note,
  createdAt: r.created_at,
});

export const presentComment = (r: CommentRow, teams: TeamIndex): CommentView => ({
  id: r.id,
  indicatorId: r.indicator_id,
  team: teams.ref(r.team_id),
  accountId: r.account_id,
  body: r.body,
  tlp: r.tlp,
  releasableTo: teams.codes(JSON.parse(r.releasable_to) as string[]),
  createdAt: r.created_at,
});

/**
 * GET /api/workspaces/:id/overview: the hunt at a glance, as the caller's team may see it. Every count
 * is of items the team may see (`canSee`): another team's hidden item is not counted anywhere.
 */
import type { HostState } from '../hunt/enums.js';

export interface OverviewCount {
  key: string;
  count: number;
}

export interface OverviewTeamRef {
  code: string;
  name: string;
  color: string;
}

export interface OverviewPerson {
  username: string;
  displayName: string;
  team: OverviewTeamRef;
}

export interface OverviewActivity {
  at: string;
  /** The event type (`indicator:updated`, `host:updated`...). */
  type: string;
  actor: OverviewPerson | null;
  /** What it is about in words (an indicator's value, a host's name), from what the caller may see. */
  subject: string;
}

export interface WorkspaceOverview {
  generatedAt: string;
  indicators: {
    total: number;
    byType: OverviewCount[];
    byStatus: OverviewCount[];
    byTeam: (OverviewCount & { team: OverviewTeamRef })[];
    /** Indicators added per UTC day (YYYY-MM-DD), oldest first, days without any included. */
    perDay: OverviewCount[];
  };
  documents: { notes: number; whiteboards: number };
  /** Most cited techniques: linked indicators plus teams' marks on the ATT&CK board (if the caller may read it). */
  techniques: { id: string; name: string; indicators: number; marks: { team: string; status: string }[] }[];
  /** The last hour's changes the caller's team may see, newest first (at most 20), and their count. */
  activity: { since: string; total: number; recent: OverviewActivity[]; byTeam: (OverviewCount & { team: OverviewTeamRef })[] };
  /** Members connected to the workspace now. */
  online: OverviewPerson[];
  /** The hunt operation, when it has networks the caller may see. */
  hunt: { networks: number; hosts: { state: HostState; count: number }[]; findings: number } | null;
}

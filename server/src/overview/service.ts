/**
 * The workspace at a glance (shared/src/workspaces/overview.ts) for one caller. Every number comes from
 * rows or events the caller's team may see, decided by `canSee` / `visibleTo` as on every other path:
 * rows are grouped in SQL by their marking columns and each group is judged whole, so 100,000
 * indicators cost a few hundred groups, not 100,000 objects, and a hidden group is never counted.
 */
import {
  canSee,
  type Account,
  type HostState,
  type OverviewActivity,
  type OverviewCount,
  type OverviewTeamRef,
  type Team,
  type TlpLevel,
  type WorkspaceOverview,
} from '@huntroom/shared';
import type { AppContext } from '../context.js';
import type { Db } from '../storage/db.js';
import { loadWorkspace } from '../workspaces/service.js';
import { teamStore } from '../teams/store.js';
import { markedItem } from '../indicators/store.js';
import { documentStore } from '../documents/store.js';
import { ensureBoard, mayReadBoard, readMarks } from '../attack/board.js';
import { catalogFor } from '../attack/catalog.js';
import { recentActivity } from './activity.js';
import { workspaceRoom } from '../realtime/hub.js';

type Marked = { tlp: TlpLevel; releasable_to: string; owner_team_id: string };
const HOUR = 3_600_000;
const TOP_TECHNIQUES = 8;

const sorted = (m: Map<string, number>): OverviewCount[] => [...m].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
const add = (m: Map<string, number>, k: string, n: number) => m.set(k, (m.get(k) ?? 0) + n);
export const teamRef = (t: Pick<Team, 'code' | 'name' | 'color'>): OverviewTeamRef => ({ code: t.code, name: t.name, color: t.color });

async function indicatorCounts(db: Db, workspaceId: string, viewerTeamId: string, teams: Map<string, Team>) {
  const groups = await db.all<Marked & { type: string; status: string; day: string; techniques: string; n: number }>(
    `SELECT type, status, substr(created_at, 1, 10) AS day, techniques, tlp, releasable_to, owner_team_id, COUNT(*) AS n
     FROM indicators WHERE workspace_id = ? GROUP BY type, status, substr(created_at, 1, 10), techniques, tlp, releasable_to, owner_team_id`,
    [workspaceId],
  );
  const byType = new Map<string, number>();
  const byStatus = new Map<string, number>();
  const byTeam = new Map<string, number>();
  const perDay = new Map<string, number>();
  const techniques = new Map<string, number>();
  let total = 0;
  for (const g of groups) {
    if (!canSee(viewerTeamId, markedItem(g))) continue;
    const n = Number(g.n);
    total += n;
    add(byType, g.type, n);
    add(byStatus, g.status, n);
    add(byTeam, g.owner_team_id, n);
    add(perDay, g.day, n);
    for (const t of JSON.parse(g.techniques) as string[]) add(techniques, t, n);
  }
  const days = [...perDay.keys()].sort();
  const filled: OverviewCount[] = [];
  // Every day from the first to today, so a quiet day shows as a gap in the chart, not as nothing.
  if (days.length) {
    const last = Math.max(Date.parse(days.at(-1)!), Date.parse(new Date().toISOString().slice(0, 10)));
    for (let d = Date.parse(days[0]!); d <= last && filled.length < 366; d += 24 * HOUR) {
      const key = new Date(d).toISOString().slice(0, 10);
      filled.push({ key, count: perDay.get(key) ?? 0 });
    }
  }
  return {
    indicators: {
      total,
      byType: sorted(byType),
      byStatus: sorted(byStatus),
      byTeam: sorted(byTeam).flatMap((c) => {
        const t = teams.get(c.key);
        return t ? [{ key: t.code, count: c.count, team: teamRef(t) }] : [];
      }),
      perDay: filled,
    },
    techniques,
  };
}

async function huntCounts(db: Db, workspaceId: string, viewerTeamId: string): Promise<WorkspaceOverview['hunt']> {
  const visible = <R extends Marked & { n: number }>(rows: R[]) => rows.filter((r) => canSee(viewerTeamId, markedItem(r)));
  const count = (rows: (Marked & { n: number })[]) => visible(rows).reduce((s, r) => s + Number(r.n), 0);
  const group = 'tlp, releasable_to, owner_team_id';
  const networks = count(await db.all(`SELECT ${group}, COUNT(*) AS n FROM hunt_networks WHERE workspace_id = ? GROUP BY ${group}`, [workspaceId]));
  if (!networks) return null;
  const hosts = new Map<string, number>();
  for (const r of visible(
    await db.all<Marked & { state: string; n: number }>(`SELECT state, ${group}, COUNT(*) AS n FROM hunt_hosts WHERE workspace_id = ? GROUP BY state, ${group}`, [workspaceId]),
  ))
    add(hosts, r.state, Number(r.n));
  const findings = count(await db.all(`SELECT ${group}, COUNT(*) AS n FROM hunt_findings WHERE workspace_id = ? GROUP BY ${group}`, [workspaceId]));
  return { networks, hosts: [...hosts].map(([state, count]) => ({ state: state as HostState, count })), findings };
}

/** Techniques ranked by linked indicators and teams' marks; the board's marks only if the caller may read the board. */
async function topTechniques(ctx: AppContext, workspaceId: string, account: Account, role: Parameters<typeof mayReadBoard>[1], linked: Map<string, number>) {
  const board = await ensureBoard(ctx, workspaceId);
  const marks = mayReadBoard(account.team.id, role, board) ? await ctx.collab.withDocument(board, (live) => readMarks(live.doc)) : [];
  const byTechnique = new Map<string, { team: string; status: string }[]>();
  for (const m of marks) byTechnique.set(m.techniqueId, [...(byTechnique.get(m.techniqueId) ?? []), { team: m.team, status: m.status }]);
  const score = (id: string) => (linked.get(id) ?? 0) + 5 * (byTechnique.get(id)?.filter((m) => m.status !== 'not-found').length ?? 0);
  const ids = [...new Set([...linked.keys(), ...byTechnique.keys()])].filter((id) => score(id) > 0);
  ids.sort((a, b) => score(b) - score(a) || a.localeCompare(b));
  const names = new Map(
    catalogFor(ctx.config.dataDir)
      .get('enterprise-attack')
      .index()
      .techniques.map((t) => [t.id, t.name]),
  );
  return ids.slice(0, TOP_TECHNIQUES).map((id) => ({ id, name: names.get(id) ?? '', indicators: linked.get(id) ?? 0, marks: byTechnique.get(id) ?? [] }));
}

export async function workspaceOverview(ctx: AppContext, account: Account, workspaceId: string): Promise<WorkspaceOverview> {
  const ws = await loadWorkspace(ctx.db, workspaceId, account, 'read');
  const viewer = account.team.id;
  const teams = new Map((await teamStore.list(ctx.db)).map((t) => [t.id, t]));
  const { indicators, techniques } = await indicatorCounts(ctx.db, ws.id, viewer, teams);
  const docs = async (kind: 'note' | 'whiteboard') => (await documentStore.list(ctx.db, ws.id, kind)).filter((d) => canSee(viewer, d)).length;
  const since = new Date(Date.now() - HOUR).toISOString();
  const activity: { total: number; recent: OverviewActivity[]; byTeam: WorkspaceOverview['activity']['byTeam'] } = await recentActivity(ctx.db, ws.id, viewer, since, teams);
  const online = (await ctx.realtime.accountsIn(workspaceRoom(ws.id))).map((a) => ({ username: a.username, displayName: a.displayName, team: teamRef(a.team) }));
  online.sort((a, b) => a.team.code.localeCompare(b.team.code) || a.displayName.localeCompare(b.displayName));
  return {
    generatedAt: new Date().toISOString(),
    indicators,
    documents: { notes: await docs('note'), whiteboards: await docs('whiteboard') },
    techniques: await topTechniques(ctx, ws.id, account, ws.role, techniques),
    activity: { since, ...activity },
    online,
    hunt: await huntCounts(ctx.db, ws.id, viewer),
  };
}

/**
 * Foreign teams (docs/federation.md section 2): the peer's teams, as rows here with the ids their home
 * gave them, bound to the link (`teams.home_link`). Sharing ids means markings (`releasableTo`), owner
 * teams and authors need no translation on the wire: a team id the receiver does not know stays in a
 * marking as it is and matches none of its teams, so nothing is ever widened by a missing team.
 *
 * When a link comes up each side asks the other for the teams its link names, and records them. Only
 * codes the operator named for the link are accepted, and never a code or id that is this instance's
 * own team or another link's.
 */
import * as z from 'zod';
import { teamCodeSchema, type Team } from '@huntroom/shared';
import type { Db } from '../storage/db.js';
import type { Logger } from '../log.js';
import { nowIso } from '../util.js';
import { FederationRefusal, type FederationBus } from './channel.js';
import type { Link } from './store.js';

const teamsAnswer = z.array(
  z.object({
    id: z.string().min(8).max(64),
    code: teamCodeSchema,
    name: z.string().min(1).max(120),
    color: z.string().regex(/^#[0-9a-f]{6}$/i),
  }),
);

interface TeamRow {
  id: string;
  code: string;
  name: string;
  color: string;
  home_link: string | null;
}

/** The ids of the teams `link` speaks for, as recorded here (empty until the link was first up). */
export async function linkTeamIds(db: Db, linkName: string): Promise<string[]> {
  return (await db.all<{ id: string }>('SELECT id FROM teams WHERE home_link = ? ORDER BY code', [linkName])).map((r) => r.id);
}

/** Which link a team is bound to: undefined for this instance's own teams (and unknown ids). */
export async function teamHome(db: Db, teamId: string): Promise<string | undefined> {
  return (await db.get<{ home_link: string | null }>('SELECT home_link FROM teams WHERE id = ?', [teamId]))?.home_link ?? undefined;
}

/** Records the peer's description of its teams: checks every one against the link, then upserts. */
export async function recordForeignTeams(db: Db, link: Link, answer: unknown): Promise<Team[]> {
  const parsed = teamsAnswer.safeParse(answer);
  if (!parsed.success) throw new FederationRefusal(`${link.name} described its teams wrongly: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return db.transaction(async (tx) => {
    const recorded: Team[] = [];
    for (const t of parsed.data) {
      if (!link.teams.includes(t.code)) throw new FederationRefusal(`${link.name} described team ${t.code}, which its link does not name`);
      const byId = await tx.get<TeamRow>('SELECT id, code, name, color, home_link FROM teams WHERE id = ?', [t.id]);
      const byCode = await tx.get<TeamRow>('SELECT id, code, name, color, home_link FROM teams WHERE code = ?', [t.code]);
      for (const other of [byId, byCode]) {
        if (other && other.home_link !== link.name)
          throw new FederationRefusal(
            `${link.name} described team ${t.code}, but ${other.home_link ? `link ${other.home_link}` : 'this instance'} already has a team with that ${other === byId ? 'id' : 'code'}`,
          );
      }
      if (byCode && byCode.id !== t.id) throw new FederationRefusal(`${link.name} changed the id of team ${t.code}; remove and add the link again to accept it`);
      if (byId) await tx.run('UPDATE teams SET name = ?, color = ? WHERE id = ?', [t.name, t.color, t.id]);
      else await tx.run('INSERT INTO teams (id, code, name, color, created_at, home_link) VALUES (?, ?, ?, ?, ?, ?)', [t.id, t.code, t.name, t.color, nowIso(), link.name]);
      recorded.push({ id: t.id, code: t.code, name: t.name, color: t.color });
    }
    return recorded;
  });
}

/**
 * Wires the exchange: answers `teams.describe` with this instance's own teams of the asked codes, and
 * asks the peer each time a link comes up. `onRecorded` runs once the peer's teams are known here.
 */
export function exchangeTeams(bus: FederationBus, deps: { db: Db; log: Logger }, onRecorded: (link: Link) => void = () => undefined): void {
  bus.onRequest('teams.describe', async (_link, params) => {
    const codes = z.object({ codes: z.array(teamCodeSchema).max(50) }).safeParse(params);
    if (!codes.success) throw new FederationRefusal('teams.describe needs {codes}');
    if (!codes.data.codes.length) return [];
    const rows = await deps.db.all<TeamRow>(
      `SELECT id, code, name, color, home_link FROM teams WHERE home_link IS NULL AND code IN (${codes.data.codes.map(() => '?').join(', ')}) ORDER BY code`,
      codes.data.codes,
    );
    return rows.map((r) => ({ id: r.id, code: r.code, name: r.name, color: r.color }));
  });
  bus.onLinkUp((link) => {
    void bus
      .request(link.name, 'teams.describe', { codes: link.teams })
      .then((answer) => recordForeignTeams(deps.db, link, answer))
      .then((teams) => {
        const missing = link.teams.filter((c) => !teams.some((t) => t.code === c));
        if (missing.length) deps.log.warn({ link: link.name, missing }, 'federation: the peer has no team for some codes its link names');
        onRecorded(link);
      })
      .catch((err: unknown) => deps.log.warn({ link: link.name, err: (err as Error).message }, 'federation: could not record the peer teams'));
  });
}

/** SQL for teams. */
import type { Team } from '@huntroom/shared';
import type { Db } from '../storage/db.js';
import { newId, nowIso } from '../util.js';

interface TeamRow {
  id: string;
  code: string;
  name: string;
  color: string;
  home_link: string | null;
}

const present = (r: TeamRow): Team => ({ id: r.id, code: r.code, name: r.name, color: r.color, ...(r.home_link ? { instance: r.home_link } : {}) });

/** A palette that stays readable on the dark UI, for teams created without a colour. */
const PALETTE = ['#4e9af1', '#e5484d', '#f5a524', '#30a46c', '#8e4ec6', '#12a594', '#e54666', '#978365'];

export const teamStore = {
  async list(db: Db): Promise<Team[]> {
    return (await db.all<TeamRow>('SELECT id, code, name, color, home_link FROM teams ORDER BY code')).map(present);
  },
  async byCode(db: Db, code: string): Promise<Team | undefined> {
    const r = await db.get<TeamRow>('SELECT id, code, name, color, home_link FROM teams WHERE code = ?', [code.toUpperCase()]);
    return r && present(r);
  },
  async byId(db: Db, id: string): Promise<Team | undefined> {
    const r = await db.get<TeamRow>('SELECT id, code, name, color, home_link FROM teams WHERE id = ?', [id]);
    return r && present(r);
  },
  async create(db: Db, input: { code: string; name: string; color?: string | undefined }): Promise<Team> {
    const count = (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM teams'))?.n ?? 0;
    const team = { id: newId(), code: input.code.toUpperCase(), name: input.name, color: input.color ?? PALETTE[Number(count) % PALETTE.length]! };
    await db.run('INSERT INTO teams (id, code, name, color, created_at) VALUES (?, ?, ?, ?, ?)', [team.id, team.code, team.name, team.color, nowIso()]);
    return team;
  },
};

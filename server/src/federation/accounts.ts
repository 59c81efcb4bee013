/**
 * Remote accounts (docs/federation.md section 2): a peer's user as a row here, with the id their home
 * gave them, bound to the link (`accounts.home_link`), named `name@instance`. No password (the hash is
 * not a hash, so no login ever verifies), no sessions, no tokens: the row exists so that authorship,
 * roles and the audit trail work unchanged. Made the first time the link names the user.
 */
import * as z from 'zod';
import type { Db } from '../storage/db.js';
import { nowIso } from '../util.js';
import { FederationRefusal } from './channel.js';
import type { Link } from './store.js';

/** A user as a link describes them: their home's id, their local name, and their team's id. */
export const remoteUserSchema = z.object({
  id: z.string().min(8).max(64),
  username: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[\w.-]+$/),
  displayName: z.string().min(1).max(120),
  teamId: z.string().min(8).max(64),
});
export type RemoteUser = z.infer<typeof remoteUserSchema>;

/** Never a valid argon2 hash: `verifyPassword` answers false for it. */
const NO_PASSWORD = '!federated';

/**
 * Makes (or refreshes the name of) the remote account for `user` of `link`. Refused when the user's team
 * is not one the link speaks for, or the id belongs to this instance's own account or another link's.
 */
export async function ensureRemoteAccount(tx: Db, link: Link, user: RemoteUser): Promise<void> {
  const team = await tx.get<{ home_link: string | null }>('SELECT home_link FROM teams WHERE id = ?', [user.teamId]);
  if (!team || team.home_link !== link.name) throw new FederationRefusal(`${link.name} named a user of a team it does not speak for`);
  const existing = await tx.get<{ home_link: string | null; team_id: string }>('SELECT home_link, team_id FROM accounts WHERE id = ?', [user.id]);
  const username = `${user.username.toLowerCase()}@${link.name}`;
  if (existing) {
    if (existing.home_link !== link.name) throw new FederationRefusal(`${link.name} named a user id that is not one of its users here`);
    if (existing.team_id !== user.teamId) throw new FederationRefusal(`${link.name} moved user ${username} to another team; not accepted`);
    await tx.run('UPDATE accounts SET display_name = ?, username = ? WHERE id = ?', [user.displayName, username, user.id]);
    return;
  }
  const clash = await tx.get('SELECT id FROM accounts WHERE username = ?', [username]);
  if (clash) throw new FederationRefusal(`${link.name} named user ${username}, which is taken here by another id`);
  await tx.run('INSERT INTO accounts (id, username, display_name, password_hash, team_id, created_at, home_link) VALUES (?, ?, ?, ?, ?, ?, ?)', [
    user.id,
    username,
    user.displayName,
    NO_PASSWORD,
    user.teamId,
    nowIso(),
    link.name,
  ]);
}

/** This instance's own user as a link describes them to the peer. */
export async function describeLocalUser(db: Db, accountId: string): Promise<RemoteUser> {
  const r = await db.get<{ id: string; username: string; display_name: string; team_id: string; home_link: string | null }>(
    'SELECT id, username, display_name, team_id, home_link FROM accounts WHERE id = ?',
    [accountId],
  );
  if (!r || r.home_link !== null) throw new Error(`account ${accountId} is not a local account`);
  return { id: r.id, username: r.username, displayName: r.display_name, teamId: r.team_id };
}

/**
 * Remote accounts as workspace members (docs/federation.md section 2, "Members"): at a workspace's
 * home an owner may add `name@instance`, change its role or remove it, like a local member, within what
 * the share with that instance allows. A remote account is only known here once its link named it
 * (its team admin accepted the share for it, or it acted): nobody can add a user of a peer the peer
 * never named, nor a user of an instance the workspace is not shared with.
 */
import type { Role } from '@huntroom/shared';
import type { Db } from '../storage/db.js';
import { AppError } from '../http/errors.js';

const RANK: Record<Role, number> = { owner: 3, hunter: 2, observer: 1, guest: 0 };

/** The instance of a `name@instance` username, or undefined for a local one. */
export const instanceOf = (username: string): string | undefined => (username.includes('@') ? username.slice(username.indexOf('@') + 1) : undefined);

/** The sentence for a `name@instance` this instance does not know. */
export function unknownRemote(username: string): AppError {
  const instance = instanceOf(username)!;
  return new AppError(
    'not_found',
    `no account named ${username} here: ${instance} names its users to this instance when its team admin accepts a share of this workspace for them`,
    { username: 'not known here' },
  );
}

/**
 * Refuses, with the reason, giving `role` in `workspaceId` to the account `accountId` when it is a
 * remote account and the share with its instance does not allow it. Local accounts pass unchecked.
 */
export async function checkRemoteMember(db: Db, workspaceId: string, accountId: string, username: string, role: Role): Promise<void> {
  const account = await db.get<{ home_link: string | null }>('SELECT home_link FROM accounts WHERE id = ?', [accountId]);
  const link = account?.home_link;
  if (!link) return;
  const share = await db.get<{ home: 'here' | 'peer'; role: Role }>(`SELECT home, role FROM federation_shares WHERE workspace_id = ? AND link = ? AND state = 'active'`, [
    workspaceId,
    link,
  ]);
  if (!share)
    throw new AppError('conflict', `${username} is a user of ${link}, and this workspace is not shared with ${link}: share it with ${link} first`, {
      username: 'not shared with that instance',
    });
  // A replica's members are the peer's decision and its own users'; the home decides for its own.
  if (share.home !== 'here') throw new AppError('conflict', `the members ${link} brings to this workspace are decided at ${link}, its home`, { username: 'decided at the home' });
  if (RANK[role] > RANK[share.role])
    throw new AppError('validation_failed', `the share with ${link} allows its users at most the role ${share.role}`, { role: `at most ${share.role}` });
}

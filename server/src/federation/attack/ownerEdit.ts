/**
 * A workspace owner's edit of a mark of this instance's team, made at the workspace's home on another
 * instance (docs/federation.md section 5, "ATT&CK marks"). Locally an owner may change any team's mark;
 * across a link the mark's home takes such an edit only when all of these hold, and refuses the whole
 * message otherwise (incoming.ts audits it and answers with its own values):
 *
 * - it came over the link of the workspace's home for this workspace (the share's home is the peer):
 *   only that instance decides the workspace's members and roles, so only it can say who owns it. A
 *   replica's owners are its own team admin's choice and mean nothing here;
 * - the message says the author is an owner (`authorIsOwner`, checked by the sender in the transaction
 *   that sent it: outgoing.ts `ownerVouch`) and names the author, a user of a team that link speaks for;
 * - every mark in it is of that link's teams or of this instance's own teams (never a third instance's).
 *
 * The active share itself was checked before (incoming.ts `shareOf`): a workspace not shared with the
 * link is refused there, and nothing of its board is sent back.
 */
import type { Db } from '../../storage/db.js';
import type { Link } from '../store.js';
import type { RemoteUser } from '../accounts.js';
import { keyTeam, MARKS_MESSAGE, type WireMark } from './wire.js';

/** Why a message vouching for an owner is refused, or undefined when this instance takes it. */
export async function ownerEditRefusal(
  tx: Db,
  link: Link,
  shareHome: 'here' | 'peer',
  workspaceId: string,
  author: RemoteUser | null,
  notTheirs: readonly WireMark[],
  homes: ReadonlyMap<string, string | null>,
): Promise<string | undefined> {
  if (shareHome !== 'peer') return `${MARKS_MESSAGE}: ${link.name} is not the home of workspace ${workspaceId}; only the workspace's home says who owns it`;
  if (!author) return `${MARKS_MESSAGE}: an owner's edit from ${link.name} must name its author`;
  const team = await tx.get<{ home_link: string | null }>('SELECT home_link FROM teams WHERE id = ?', [author.teamId]);
  if (team?.home_link !== link.name) return `${MARKS_MESSAGE}: ${link.name} vouched for an owner of a team it does not speak for`;
  const elsewhere = [...new Set(notTheirs.map((e) => keyTeam(e.key)).filter((code) => homes.get(code) !== null))];
  if (elsewhere.length)
    return `${MARKS_MESSAGE}: ${link.name} may write only the marks of the teams its link names or, for a workspace owner, this instance's teams, not ${elsewhere.join(', ')}`;
  return undefined;
}

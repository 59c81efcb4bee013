/**
 * A member change at a workspace's home told to the peer that holds its replica (docs/federation.md
 * section 2, "Members"). When an owner at the home removes a remote member (`name@instance`) or changes
 * its role, the home writes `member.changed {workspaceId, accountId, role | null}` to that link's outbox
 * in the same transaction. The peer applies it to its replica at once: the account's membership removed,
 * or its role capped (never raised: the peer's team admin chose it within the offer), its sockets and
 * editors of the workspace closed as a local removal or role change does; audited on both sides.
 *
 * The peer trusts the message no further than the share: it is refused (and audited by the channel,
 * `federation.refused`) unless the workspace is shared here by that link as its home, and the account
 * is one of this instance's own users, of a team the share is for, and a member of the replica. So a
 * hostile home can touch neither another workspace, nor another link's accounts, nor a user the share
 * never brought in, nor give anyone more than they have.
 */
import * as z from 'zod';
import { CLOSE_CODES, type Role } from '@huntroom/shared';
import type { AppContext } from '../context.js';
import type { Db } from '../storage/db.js';
import { auditStore } from '../audit/store.js';
import { workspaceStore } from '../workspaces/store.js';
import { FederationRefusal, writeToOutbox, type FederationBus } from './channel.js';
import { shareStore } from './shares.js';

export const MEMBER_CHANGED = 'member.changed';

const RANK: Record<Role, number> = { owner: 3, hunter: 2, observer: 1, guest: 0 };

const memberChanged = z.object({
  workspaceId: z.string().min(1).max(64),
  accountId: z.string().min(8).max(64),
  /** The role the home now gives the account; null: removed. A replica's member is at most a hunter. */
  role: z.enum(['hunter', 'observer']).nullable(),
});

/**
 * At the home, in the transaction of a member change: tells the account's instance, when it is a remote
 * account of a link this workspace is actively shared with from here. A local account: nothing.
 */
export async function tellMemberChange(tx: Db, workspaceId: string, accountId: string, role: Role | null): Promise<void> {
  const account = await tx.get<{ home_link: string | null }>('SELECT home_link FROM accounts WHERE id = ?', [accountId]);
  const link = account?.home_link;
  if (!link) return;
  const share = (await shareStore.byWorkspace(tx, workspaceId)).find((s) => s.link === link && s.home === 'here' && s.state === 'active');
  if (!share) return;
  // A remote member's role is within the share's (members.ts), so at most a hunter; anything else is "less".
  const told = role === null ? null : role === 'hunter' || role === 'observer' ? role : 'observer';
  await writeToOutbox(tx, link, MEMBER_CHANGED, { workspaceId, accountId, role: told });
  await auditStore.write(tx, { workspaceId, actorId: null, action: 'federation.member.sent', detail: { link, accountId, role: told } });
}

/** At the replica: applies the home's member changes (registered per bus in features.ts). */
export function registerMemberChanges(ctx: Pick<AppContext, 'realtime'>, bus: FederationBus): void {
  bus.onMessage(MEMBER_CHANGED, async (tx, link, raw) => {
    const m = memberChanged.safeParse(raw);
    if (!m.success) throw new FederationRefusal(`${MEMBER_CHANGED}: ${m.error.issues[0]?.path.join('.') ?? ''} ${m.error.issues[0]?.message ?? 'invalid'}`);
    const { workspaceId, accountId, role } = m.data;
    const share = (await shareStore.byWorkspace(tx, workspaceId)).find((s) => s.link === link.name && s.state === 'active');
    if (!share || share.home !== 'peer')
      throw new FederationRefusal(`${link.name} changed a member of workspace ${workspaceId}, which it does not share with this instance as its home`);
    const account = await tx.get<{ team_id: string; home_link: string | null }>('SELECT team_id, home_link FROM accounts WHERE id = ?', [accountId]);
    if (!account || account.home_link !== null || !share.peerTeams.includes(account.team_id))
      throw new FederationRefusal(`${link.name} changed member ${accountId} of workspace ${workspaceId}, who is not a user here of a team the share is for`);
    await workspaceStore.lock(tx, workspaceId);
    const member = await workspaceStore.member(tx, workspaceId, accountId);
    if (!member) throw new FederationRefusal(`${link.name} changed member ${accountId} of workspace ${workspaceId}, who is not a member of it here`);
    const audit = (action: string, detail: Record<string, unknown>) =>
      auditStore.write(tx, { workspaceId, actorId: null, action, detail: { link: link.name, username: member.username, ...detail } });
    if (role === null) {
      await workspaceStore.removeMember(tx, workspaceId, accountId);
      await audit('federation.member.removed', {});
      return () => {
        ctx.realtime.toWorkspace(workspaceId, 'member:removed', { workspaceId, accountId });
        ctx.realtime.revokeAccount(workspaceId, accountId, account.team_id);
        ctx.realtime.closeAccessEverywhere({
          workspaceId,
          accountIds: [accountId],
          code: CLOSE_CODES.forbidden,
          reason: `${link.name}, the workspace's home, removed you from it`,
        });
      };
    }
    // Capped, never raised: the role here is the peer's team admin's choice within the offer.
    if (RANK[role] >= RANK[member.role]) {
      await audit('federation.member.kept', { role: member.role, home: role });
      return;
    }
    await workspaceStore.setRole(tx, workspaceId, accountId, role);
    await audit('federation.member.role_capped', { from: member.role, to: role });
    return () => {
      ctx.realtime.toWorkspace(workspaceId, 'member:updated', { workspaceId, member: { ...member, role } });
      ctx.realtime.closeAccessEverywhere({
        workspaceId,
        accountIds: [accountId],
        code: CLOSE_CODES.accessChanged,
        reason: `${link.name}, the workspace's home, changed your role`,
      });
    };
  });
}

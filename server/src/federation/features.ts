/**
 * Everything that crosses a link registers its handlers here, in one place, so the next engineer sees
 * the whole protocol at a glance (docs/federation.md section 4 lists the messages).
 */
import type { AppContext } from '../context.js';
import type { FederationBus } from './channel.js';
import { exchangeTeams } from './teams.js';
import { registerShares } from './shares.js';
import { registerMemberChanges } from './memberChanges.js';
import { registerRecords } from './records/index.js';
import { registerBaselines } from './records/baseline.js';
import { registerWithdraw } from './withdraw.js';
import { registerDocuments } from './documents/index.js';
import { registerCommands } from './commands/index.js';
import { registerAttack } from './attack/index.js';

export function registerFederation(ctx: AppContext, bus: FederationBus): void {
  const log = ctx.log.child({ category: 'federation' });
  // The peer's teams, with their home ids, recorded each time a link comes up (teams.ts).
  exchangeTeams(bus, { db: ctx.db, log });
  // Offers and acceptance of shared workspaces (shares.ts).
  registerShares(bus);
  // A remote member removed or its role lowered at the workspace's home, applied to the replica (memberChanges.ts).
  registerMemberChanges(ctx, bus);
  // A share withdrawn by either side: the replica dropped, the peer's members and items gone (withdraw.ts).
  registerWithdraw(ctx, bus);
  // Notes and whiteboards: metadata, Yjs updates both ways, presence, revokes (documents/).
  registerDocuments(ctx, bus, log);
  // Record events across the border, applied at replicas, and the baseline of a new share (records/).
  registerRecords(ctx, bus);
  // Baselines in pages, sent by the node holding the link; their start and end at the replica (records/baseline.ts).
  registerBaselines(ctx, bus);
  // A change to an item homed on the peer goes there as a command; the peer's, run here (commands/).
  registerCommands(ctx, bus);
  // ATT&CK marks of shared boards, homed at their team's instance (attack/); after the documents' tap.
  registerAttack(ctx, bus, log);
}

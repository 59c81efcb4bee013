/**
 * The home's side (docs/federation.md section 3, issue 20 item 4): a peer asks this instance to run a
 * command of one of its members on an item homed here. The command runs through the same `execute` as
 * a local member's, as the member's REMOTE account here (`accounts.home_link` = the link), so the role,
 * the markings and the idempotency of the command id are exactly the local ones; the answer is its ack.
 * The resulting events go back through the records border like any other change.
 *
 * Refused before anything runs (a sentence the peer sees): a command type that does not cross a link,
 * a workspace not shared with the link, an actor that is not a remote account of that link or whose team
 * the link does not speak for, an item the link's instance is not asked about here (homed elsewhere).
 */
import type { CommandAck } from '@huntroom/shared';
import * as z from 'zod';
import type { Account } from '@huntroom/shared';
import { accountStore, publicAccount } from '../../auth/store.js';
import { execute, type CommandDef, type RecordContext } from '../../records/command.js';
import { FederationRefusal } from '../channel.js';
import type { Link } from '../store.js';
import { COMMAND_DEFS } from './defs.js';
import { homesOf, TARGETS } from './targets.js';

const id = z.string().min(1).max(64);

export const commandRequestSchema = z.object({
  workspaceId: id,
  actorId: id,
  type: z.string().max(40),
  id: z.string().min(1).max(100),
  payload: z.record(z.string(), z.unknown()),
});

/** The remote account of `link` named `actorId`, or a refusal. */
async function remoteActor(ctx: RecordContext, link: Link, actorId: string): Promise<Account> {
  const row = await ctx.db.get<{ home_link: string | null; team_home: string | null }>(
    'SELECT a.home_link, t.home_link AS team_home FROM accounts a JOIN teams t ON t.id = a.team_id WHERE a.id = ?',
    [actorId],
  );
  if (!row || row.home_link !== link.name) throw new FederationRefusal(`${link.name} named an actor that is not one of its users here`);
  if (row.team_home !== link.name) throw new FederationRefusal(`${link.name} named an actor of a team it does not speak for`);
  const account = await accountStore.byId(ctx.db, actorId);
  if (!account) throw new FederationRefusal(`${link.name} named an actor that is not one of its users here`);
  return publicAccount(account);
}

/** Answers one `command` request from `link` with the command's ack (or refuses it). */
export async function runForPeer(ctx: RecordContext, link: Link, params: unknown): Promise<CommandAck<unknown>> {
  const parsed = commandRequestSchema.safeParse(params);
  if (!parsed.success) throw new FederationRefusal(`command: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const req = parsed.data;
  const def = COMMAND_DEFS[req.type];
  const target = TARGETS[req.type];
  if (!def || !target || target.notAcross) throw new FederationRefusal(`${req.type} is not a command that crosses a link`);
  if (req.payload.workspaceId !== req.workspaceId) throw new FederationRefusal('the command names another workspace than its request');
  const share = await ctx.db.get<{ state: string }>('SELECT state FROM federation_shares WHERE workspace_id = ? AND link = ?', [req.workspaceId, link.name]);
  if (share?.state !== 'active') throw new FederationRefusal(`workspace ${req.workspaceId} is not shared with ${link.name}`);
  const account = await remoteActor(ctx, link, req.actorId);
  // Only items homed here: never run, or pass on, a change to an item of a third place (or the asker's own).
  const homes = await homesOf(ctx.db, req.workspaceId, target.table, target.ids(req.payload));
  if ([...homes].some((h) => h !== null)) throw new FederationRefusal('the command names an item that is not homed here');
  return execute(ctx, account, def as CommandDef<z.ZodType<{ workspaceId: string }>, unknown>, { id: req.id, type: req.type, payload: req.payload });
}

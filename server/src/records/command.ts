/**
 * The one path of every record-plane command, whichever transport brought it (socket.io or REST):
 * validate -> replay check -> authorize -> transaction (projection + events + audit + command log)
 * -> commit -> deliver to the teams that may see each event -> ack. A retried command id returns the
 * first ack and changes nothing (DESIGN.md section 3).
 */
import { commandSchema, type Account, type CommandAck, type RecordEvent, type Workspace } from '@huntroom/shared';
import type { z } from 'zod';
import type { AppContext } from '../context.js';
import type { Db } from '../storage/db.js';
import { auditStore, type AuditSubject } from '../audit/store.js';
import { AppError } from '../http/errors.js';
import { parse } from '../http/validate.js';
import { loadWorkspace } from '../workspaces/service.js';
import type { WorkspaceAction } from '../workspaces/policy.js';
import { nowIso } from '../util.js';
import { recordStore, type StoredEvent } from './store.js';
import type { Audience } from './visibility.js';
import { deliver, type Outgoing } from './deliver.js';
import { errorAck } from './errors.js';

/** What the record plane needs of the app: narrower than AppContext, so domains grow it freely. */
export type RecordContext = Pick<AppContext, 'db' | 'log' | 'realtime'> & Partial<Pick<AppContext, 'collab' | 'federation'>>;

/**
 * Sees every command's events in the transaction that writes them, and is told after the commit: the
 * federation border (federation/records/border.ts) enqueues what crosses a link there. One per bus.
 */
export interface EventBorder {
  crossing(tx: Db, workspaceId: string, account: Account, stored: readonly StoredEvent[]): Promise<void>;
  committed(): void;
}
export const eventBorders = new WeakMap<object, EventBorder>();

/**
 * Asked, once the caller may run the command here, whether it changes an item homed on another
 * instance: then it returns the ack of the command run at that home, and nothing runs here
 * (federation/commands/forward.ts). One per bus.
 */
export type CommandForwarder = (account: Account, type: string, commandId: string, input: { workspaceId: string }) => Promise<CommandAck<unknown> | undefined>;
export const commandForwarders = new WeakMap<object, CommandForwarder>();

export interface CommandDef<S extends z.ZodType<{ workspaceId: string }>, D> {
  type: string;
  schema: S;
  /** The role the caller needs in the workspace (workspaces/policy.ts). */
  action: WorkspaceAction;
  run(c: CommandContext, input: z.infer<S>): Promise<D>;
  /** Live effects outside the record plane (document edits) after the commit; never on a replayed retry. */
  afterCommit?(ctx: RecordContext, data: D, where: { workspaceId: string }): Promise<void>;
}

export interface NewEvent {
  type: string;
  recordId: string;
  payload: unknown;
  audience: Audience;
}

/** What a command's `run` gets: the open transaction and ways to record what it did. */
export interface CommandContext {
  tx: Db;
  account: Account;
  workspace: Workspace;
  commandId: string;
  at: string;
  /** Reserves seqs for `n` events to come (one counter update for a whole import batch). */
  reserve(n: number): Promise<void>;
  /** Appends an event and returns its seq; events are written when the command finishes. */
  record(e: NewEvent): Promise<number>;
  /** Writes an audit row in the same transaction; `about`: the marked items it concerns (audit/subjects.ts). */
  audit(action: string, detail?: Record<string, unknown>, about?: AuditSubject[]): Promise<void>;
}

/** Runs a command envelope `{id, type?, payload}` for `account`; never throws, always acks. */
export async function execute<S extends z.ZodType<{ workspaceId: string }>, D>(ctx: RecordContext, account: Account, def: CommandDef<S, D>, raw: unknown): Promise<CommandAck<D>> {
  try {
    const env = parse(commandSchema, raw);
    if (env.type !== undefined && env.type !== def.type) throw new AppError('bad_request', `command type ${env.type} sent as ${def.type}`);
    const input = parse(def.schema, env.payload, 'payload');
    const key = { workspaceId: input.workspaceId, accountId: account.id, commandId: env.id };
    // A retry of a command that already committed: its first ack, even if the caller's role changed since.
    const prior = await recordStore.ackFor(ctx.db, key.workspaceId, key.accountId, key.commandId);
    if (prior) return replayed<D>(prior, def.type);
    const workspace = await loadWorkspace(ctx.db, input.workspaceId, account, def.action);
    const forwarded = ctx.federation && (await commandForwarders.get(ctx.federation)?.(account, def.type, env.id, input));
    if (forwarded) return forwarded as CommandAck<D>;
    const border = ctx.federation && eventBorders.get(ctx.federation);

    const result = await ctx.db.transaction(async (tx) => {
      const at = nowIso();
      // Claimed first: a concurrent duplicate waits on this row (PostgreSQL) and then sees it taken.
      if (!(await recordStore.claimCommand(tx, { ...key, type: def.type, at }))) return { prior: await recordStore.ackFor(tx, key.workspaceId, key.accountId, key.commandId) };
      const { c, pending } = commandContext(tx, account, workspace, env.id, at);
      const data = await def.run(c, input);
      // Unused reservations leave gaps in seq, which clients tolerate (hidden events leave gaps too).
      const stored = await appendEvents(tx, workspace.id, account, at, pending, border);
      const seq = stored.at(-1)?.event.seq ?? (await recordStore.head(tx, workspace.id));
      const ack: CommandAck<D> = data === undefined ? { ok: true, seq } : { ok: true, seq, data };
      await recordStore.saveAck(tx, key.workspaceId, key.accountId, key.commandId, ack);
      // Read inside the transaction so delivery right after commit needs no await (keeps seq order).
      const teams = stored.length ? await recordStore.memberTeams(tx, workspace.id) : [];
      return { ack, stored, teams };
    });
    if ('prior' in result) return replayed<D>(result.prior, def.type);
    border?.committed();
    deliver(ctx, workspace.id, result.teams, result.stored);
    // Awaited, so the caller's answer comes when the effects are done; a failure there cannot undo the commit.
    if (def.afterCommit)
      await def
        .afterCommit(ctx, (result.ack as { data?: D }).data as D, { workspaceId: workspace.id })
        .catch((err: unknown) => ctx.log.error({ err, type: def.type }, 'after-commit step failed'));
    return result.ack;
  } catch (err) {
    return errorAck(ctx, err, def.type);
  }
}

function replayed<D>(prior: { type: string; ack: unknown } | undefined, type: string): CommandAck<D> {
  if (!prior) throw new AppError('internal', 'command log row vanished');
  if (prior.type !== type) throw new AppError('conflict', `this command id was already used for ${prior.type}`);
  return prior.ack as CommandAck<D>;
}

type Pending = NewEvent & { seq: number };

/**
 * What a command's `run` gets inside the open transaction `tx`, and the events it records, with seqs
 * reserved in order. Used by `execute` and by the demo seed (demo/run.ts), so both write alike.
 */
export function commandContext(tx: Db, account: Account, workspace: Workspace, commandId: string, at: string): { c: CommandContext; pending: Pending[] } {
  const pending: Pending[] = [];
  const seqs = { next: 0, last: -1 };
  const reserve = async (n: number) => {
    const last = await recordStore.allocateSeq(tx, workspace.id, n);
    // Reservations are consecutive: the counter row stays locked by this transaction.
    if (seqs.next > seqs.last) seqs.next = last - n + 1;
    seqs.last = last;
  };
  const c: CommandContext = {
    tx,
    account,
    workspace,
    commandId,
    at,
    reserve,
    record: async (e) => {
      if (seqs.next > seqs.last) await reserve(1);
      const seq = seqs.next++;
      pending.push({ ...e, seq });
      return seq;
    },
    audit: (action, detail, about) =>
      auditStore.write(tx, { workspaceId: workspace.id, actorId: account.id, teamId: account.team.id, action, detail: detail ?? {}, ...(about ? { about } : {}) }),
  };
  return { c, pending };
}

/** Writes a command's recorded events, stamped `at` and by `account`; returns them ready to deliver. */
export async function appendEvents(tx: Db, workspaceId: string, account: Account, at: string, pending: Pending[], border?: EventBorder): Promise<Outgoing[]> {
  if (!pending.length) return [];
  const stored: StoredEvent[] = pending.map((e) => ({
    workspaceId,
    seq: e.seq,
    type: e.type,
    recordId: e.recordId,
    payload: e.payload,
    actorId: account.id,
    teamId: account.team.id,
    at,
    audience: e.audience,
  }));
  await recordStore.append(tx, stored);
  await border?.crossing(tx, workspaceId, account, stored);
  return stored.map((s) => ({ event: envelope(s, account), audience: s.audience }));
}

const envelope = (s: StoredEvent, account: Account): RecordEvent => ({
  workspaceId: s.workspaceId,
  seq: s.seq,
  type: s.type,
  recordId: s.recordId,
  at: s.at,
  actor: {
    id: account.id,
    username: account.username,
    displayName: account.displayName,
    team: { id: account.team.id, code: account.team.code, color: account.team.color },
  },
  payload: s.payload,
});

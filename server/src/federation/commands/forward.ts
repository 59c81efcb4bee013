/**
 * The replica's side (docs/federation.md section 3, issue 20 item 4): a command that changes an item
 * homed on another instance does not change the copy here; it is asked of the item's home over the link
 * (`command` request), run there by the member's remote account through the home's own `execute`, and
 * the home's ack is the answer. The change itself comes back as events (federation/records/).
 *
 * The ack's `seq`: the home's seq numbers the HOME's log, which means nothing to a client of this
 * instance (each instance numbers its own log; applied events get this instance's seqs). The client
 * never reads an ack's seq (it follows the log by `sync` and live events); REST callers get it back.
 * So a forwarded ack carries this instance's log head at the moment the answer came: a seq of this
 * log, never ahead of it. The events of the change arrive after it or just before.
 *
 * While the link is down the answer is `unavailable` with a sentence naming the home, and nothing
 * changes: the client's outbox keeps the command and sends it again (same id) when it reconnects.
 */
import type { CommandAck } from '@huntroom/shared';
import { ERROR_STATUS, type ErrorCode } from '@huntroom/shared';
import * as z from 'zod';
import type { Db } from '../../storage/db.js';
import type { CommandForwarder } from '../../records/command.js';
import { recordStore } from '../../records/store.js';
import { FederationRefusal, LinkDown } from '../channel.js';
import { auditStore } from '../../audit/store.js';
import type { AuditSubject } from '../../audit/subjects.js';
import { markedItem } from '../../indicators/store.js';
import type { TlpLevel } from '@huntroom/shared';
import type { Account } from '@huntroom/shared';
import { homesOf, isShared, TARGETS, type Table } from './targets.js';

export const COMMAND_REQUEST = 'command';

/** What the replica asks the home. */
export interface CommandRequest {
  workspaceId: string;
  actorId: string;
  type: string;
  /** The command's id, so a retried forward gets the home's first ack. */
  id: string;
  payload: unknown;
}

/** What a bus must offer the forwarder (the FederationBus does). */
export interface Asker {
  isUp(link: string): boolean;
  request(link: string, method: string, params: unknown): Promise<unknown>;
}

const errorCode = z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]);

/** The home's answer, checked: the peer is untrusted. */
const homeAck = z.union([
  z.object({ ok: z.literal(true), seq: z.number().int().min(0), data: z.unknown().optional() }),
  z.object({
    ok: z.literal(false),
    error: z.object({ code: errorCode, message: z.string().min(1).max(2000), fields: z.record(z.string().max(200), z.string().max(2000)).optional() }),
  }),
]);

const fail = (code: ErrorCode, message: string): CommandAck<never> => ({ ok: false, error: { code, message } });

export const unreachable = (home: string): CommandAck<never> => fail('unavailable', `the home of this item, ${home}, is not reachable; try again when the link is back`);

export function makeForwarder(db: Db, bus: Asker): CommandForwarder {
  return async (account, type, commandId, input) => {
    const target = TARGETS[type];
    if (!target) return undefined;
    const payload = input as Record<string, unknown> & { workspaceId: string };
    if (!(await isShared(db, payload.workspaceId))) return undefined;
    const homes = await homesOf(db, payload.workspaceId, target.table, target.ids(payload));
    const away = [...homes].filter((h): h is string => h !== null);
    // Everything named is homed here, or not held here at all (then the command says "not found" here).
    if (!away.length) return undefined;
    if (homes.size > 1) {
      const where = [...(homes.has(null) ? ['here'] : []), ...away.sort()].join(', ');
      return fail('bad_request', `these items are homed on different instances (${where}): change the items of each home separately`);
    }
    const home = away[0]!;
    if (target.notAcross) return fail('bad_request', target.notAcross(home));
    const share = await db.get<{ home: 'here' | 'peer' }>(`SELECT home FROM federation_shares WHERE workspace_id = ? AND link = ? AND state = 'active'`, [
      payload.workspaceId,
      home,
    ]);
    if (!share) return fail('conflict', `the home of this item, ${home}, no longer shares this workspace with this instance; it cannot be changed here`);
    // The workspace is homed here and the item was made at the peer: the peer knows its own members,
    // not this workspace's, so it could not authorize the change. Not supported yet; said plainly.
    if (share.home === 'here') return fail('conflict', `this item was made on ${home} and can only be changed there, by its members`);
    if (!bus.isUp(home)) return unreachable(home);
    const answered = await ask(bus, home, { workspaceId: payload.workspaceId, actorId: account.id, type, id: commandId, payload });
    const ids = target.ids(payload);
    await recordForward(db, account, payload.workspaceId, { link: home, type, commandId, ids, table: target.table, outcome: answered.outcome });
    if (!answered.ack.ok) return answered.ack;
    const seq = await recordStore.head(db, payload.workspaceId);
    return answered.ack.data === undefined ? { ok: true, seq } : { ok: true, seq, data: answered.ack.data };
  };
}

/** Asks the home; every way it can end as an ack, and a word for the audit row. */
async function ask(bus: Asker, home: string, request: CommandRequest): Promise<{ ack: CommandAck<unknown>; outcome: string }> {
  let answer: unknown;
  try {
    answer = await bus.request(home, COMMAND_REQUEST, request);
  } catch (err) {
    if (err instanceof LinkDown) return { ack: unreachable(home), outcome: 'no answer' };
    if (err instanceof FederationRefusal) return { ack: fail('forbidden', `${home} refused the command: ${err.message}`), outcome: 'refused' };
    throw err;
  }
  const ack = homeAck.safeParse(answer);
  // Not `internal`: that would keep the command at the head of the client's outbox, retried forever.
  if (!ack.success) return { ack: fail('conflict', `${home} answered the command in a form this instance does not accept`), outcome: 'malformed answer' };
  return { ack: ack.data, outcome: ack.data.ok ? 'ok' : ack.data.error.code };
}

const SUBJECT_KIND: Record<Table, AuditSubject['kind']> = {
  indicators: 'indicator',
  hunt_networks: 'network',
  hunt_hosts: 'host',
  hunt_findings: 'finding',
  hunt_timeline: 'timeline',
};

/**
 * The crossing, recorded on this side too (`federation.forwarded`): who, what, to which home, how it
 * ended. The row names the items, so it stores them as its subjects: shown only to those who may see them.
 */
async function recordForward(
  db: Db,
  account: Account,
  workspaceId: string,
  f: { link: string; type: string; commandId: string; ids: string[]; table: Table; outcome: string },
): Promise<void> {
  const about: AuditSubject[] = [];
  const unique = [...new Set(f.ids)];
  for (let i = 0; i < unique.length; i += 500) {
    const part = unique.slice(i, i + 500);
    const rows = await db.all<{ id: string; tlp: TlpLevel; releasable_to: string; owner_team_id: string }>(
      `SELECT id, tlp, releasable_to, owner_team_id FROM ${f.table} WHERE workspace_id = ? AND id IN (${part.map(() => '?').join(', ')})`,
      [workspaceId, ...part],
    );
    for (const r of rows) about.push({ kind: SUBJECT_KIND[f.table], id: r.id, ...markedItem(r) });
  }
  await auditStore.write(db, {
    workspaceId,
    actorId: account.id,
    teamId: account.team.id,
    action: 'federation.forwarded',
    detail: { link: f.link, type: f.type, commandId: f.commandId, ids: unique.length > 20 ? `${unique.length} items` : unique, outcome: f.outcome },
    about,
  });
}

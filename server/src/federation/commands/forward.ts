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
import { z } from 'zod';
import type { Db } from '../../storage/db.js';
import type { CommandForwarder } from '../../records/command.js';
import { recordStore } from '../../records/store.js';
import { FederationRefusal, LinkDown } from '../channel.js';
import { homesOf, isShared, TARGETS } from './targets.js';

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
    let answer: unknown;
    try {
      const request: CommandRequest = { workspaceId: payload.workspaceId, actorId: account.id, type, id: commandId, payload };
      answer = await bus.request(home, COMMAND_REQUEST, request);
    } catch (err) {
      if (err instanceof LinkDown) return unreachable(home);
      if (err instanceof FederationRefusal) return fail('forbidden', `${home} refused the command: ${err.message}`);
      throw err;
    }
    const ack = homeAck.safeParse(answer);
    // Not `internal`: that would keep the command at the head of the client's outbox, retried forever.
    if (!ack.success) return fail('conflict', `${home} answered the command in a form this instance does not accept`);
    if (!ack.data.ok) return { ok: false, error: ack.data.error };
    const seq = await recordStore.head(db, payload.workspaceId);
    return ack.data.data === undefined ? { ok: true, seq } : { ok: true, seq, data: ack.data.data };
  };
}

/**
 * Awareness (presence: who is here, carets, pointers) from a client, vetted before it reaches the
 * document's awareness. y-protocols lets any client set the state of any client id, so without this an
 * observer could rewrite another person's name, team or caret.
 *
 * - A connection owns the awareness client ids its first awareness message introduces (a y-websocket
 *   client sends its own id first, on open) and nothing else: later states for other ids from it are
 *   dropped. y-websocket clients echo everyone's states back to the server, so those echoes are
 *   dropped here too, as they must be. An id another account's connection holds is never handed over;
 *   one held by another connection of the same account moves (a reconnect whose old socket the server
 *   has not yet seen close).
 * - The server writes the `user` field (name, username, team, colour) from the session over whatever
 *   the client sent; the rest of the state (caret, pointer) is the client's own business.
 *
 * States from other nodes (Redis) were vetted and stamped by the node their client is on. One thing
 * only this node knows: which ids its own connections hold. A node that had not yet heard of an id
 * (the document was not open there when its client said hello) may let another account claim it;
 * the state it then relays is dropped here for an id held here by someone else, so the victim's own
 * node and its clients keep the victim's presence.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Account } from '@huntroom/shared';
import type { DocPeer, LiveDocument } from './LiveDocument.js';

/** Client ids one connection may introduce (a y-websocket client has exactly one per document). */
export const MAX_PRESENCE_IDS = 4;

/** What the server says about a person in the awareness; the client's `user` field is replaced by it. */
export interface PresenceUser {
  name: string;
  username: string;
  team: string;
  color: string;
}

export const presenceUserOf = (account: Account): PresenceUser => ({
  name: account.displayName,
  username: account.username,
  team: account.team.code,
  color: account.team.color,
});

/** A connection as presence sees it. */
export interface PresencePeer extends DocPeer {
  readonly account: Account;
  /** Ids this connection introduced; undefined until its first awareness message. */
  presenceIds: Set<number> | undefined;
}

interface Entry {
  clientId: number;
  clock: number;
  state: string;
}

function decode(update: Uint8Array): Entry[] {
  const d = decoding.createDecoder(update);
  const out: Entry[] = [];
  const n = decoding.readVarUint(d);
  for (let i = 0; i < n; i++) out.push({ clientId: decoding.readVarUint(d), clock: decoding.readVarUint(d), state: decoding.readVarString(d) });
  return out;
}

function encode(entries: readonly Entry[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, entries.length);
  for (const x of entries) {
    encoding.writeVarUint(e, x.clientId);
    encoding.writeVarUint(e, x.clock);
    encoding.writeVarString(e, x.state);
  }
  return encoding.toUint8Array(e);
}

/** The local connection that holds `clientId` in this document, if any. */
function holderOf(doc: LiveDocument, clientId: number): PresencePeer | undefined {
  for (const p of doc.peers) if ((p as PresencePeer).presenceIds?.has(clientId)) return p as PresencePeer;
  return undefined;
}

/** May `conn` take `clientId`? Free, or held by its own account (here or, stamped, on another node). */
function claimable(conn: PresencePeer, doc: LiveDocument, clientId: number): boolean {
  const holder = holderOf(doc, clientId);
  if (holder) return holder !== conn && holder.account.id === conn.account.id;
  const state = doc.awareness.getStates().get(clientId) as { user?: { username?: unknown } } | undefined;
  return !state || state.user?.username === conn.account.username;
}

/**
 * The awareness update to apply for `conn`: only its own ids, each state stamped with its user.
 * `undefined` when nothing is left; `malformed` when the bytes are not an awareness update.
 */
export function vetAwareness(conn: PresencePeer, doc: LiveDocument, update: Uint8Array): Uint8Array | 'malformed' | undefined {
  let entries: Entry[];
  try {
    entries = decode(update);
  } catch {
    return 'malformed';
  }
  if (!conn.presenceIds) {
    conn.presenceIds = new Set();
    for (const { clientId } of entries) {
      if (conn.presenceIds.size >= MAX_PRESENCE_IDS || !claimable(conn, doc, clientId)) continue;
      const holder = holderOf(doc, clientId);
      if (holder) {
        // The same account's older socket: the id moves, so that socket's close leaves it alone.
        holder.presenceIds!.delete(clientId);
        holder.awarenessIds.delete(clientId);
      }
      conn.presenceIds.add(clientId);
      conn.awarenessIds.add(clientId);
    }
  }
  const user = presenceUserOf(conn.account);
  const kept: Entry[] = [];
  for (const entry of entries) {
    if (!conn.presenceIds.has(entry.clientId)) continue;
    let state: unknown;
    try {
      state = JSON.parse(entry.state);
    } catch {
      return 'malformed';
    }
    if (state === null)
      kept.push(entry); // the client left (or hid itself)
    else if (typeof state === 'object' && !Array.isArray(state)) kept.push({ ...entry, state: JSON.stringify({ ...state, user }) });
  }
  return kept.length ? encode(kept) : undefined;
}

/**
 * An awareness update relayed from another node, without the states for ids one of this node's
 * connections holds for another account (a removal of such an id included: its holder is here and
 * alive). `undefined` when nothing is left or the bytes are not an awareness update.
 */
export function vetRemoteAwareness(doc: LiveDocument, update: Uint8Array): Uint8Array | undefined {
  let entries: Entry[];
  try {
    entries = decode(update);
  } catch {
    return undefined;
  }
  const kept = entries.filter((entry) => {
    const holder = holderOf(doc, entry.clientId);
    if (!holder) return true;
    try {
      const state = JSON.parse(entry.state) as { user?: { username?: unknown } } | null;
      return state?.user?.username === holder.account.username;
    } catch {
      return false;
    }
  });
  if (!kept.length) return undefined;
  return kept.length === entries.length ? update : encode(kept);
}

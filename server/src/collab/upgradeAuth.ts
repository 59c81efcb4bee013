/**
 * Authentication of a websocket upgrade to `/yjs/<docId>`, before the socket opens: the Origin
 * header, then the session cookie or a `?ticket=`, then `authorizeDoc`. A refusal is an HTTP status
 * written on the raw socket, so a client never sees a single byte of a document it may not open.
 *
 * Two paths with the same checks. `authenticateUpgradeNow` answers without a turn of the event loop
 * when it can: a ticket (memoized signature check, TicketVerifier), a grant authorizeDoc gave a moment
 * ago for the same account and document and that nothing has invalidated since (grantCache.ts), and,
 * for a single-use ticket, its spend as one synchronous SQLite write. Otherwise it answers undefined
 * and `authenticateUpgrade` asks the database (and fills the cache). This is what a reconnect storm
 * costs per socket (issue 21, docs/performance.md).
 *
 * Each check runs once per upgrade: what the synchronous path checked (Origin, document id, the ticket's
 * signature and expiry) it hands on as a CheckedUpgrade, and the asynchronous path goes on from there
 * (the ticket's spend, the account, authorizeDoc). A cookie's session is read on the asynchronous path,
 * every time.
 */
import type { IncomingMessage } from 'node:http';
import type { Account } from '@huntroom/shared';
import type { AppContext } from '../context.js';
import { AppError } from '../http/errors.js';
import { isAllowedOrigin } from '../http/origin.js';
import { readSessionCookie } from '../auth/cookies.js';
import { fromSessionCookie } from '../auth/service.js';
import { accountStore, publicAccount } from '../auth/store.js';
import { SqliteDb } from '../storage/sqlite.js';
import { YJS_PATH_PREFIX } from '@huntroom/shared';
import { authorizeDoc, type DocAccess } from './authorize.js';
import { TicketVerifier, verifyTicket, type VerifiedTicket } from './tickets.js';
import { spendTicket, spendTicketNow } from './ticketStore.js';
import { membershipExpires, type GrantCache } from './grantCache.js';

export interface UpgradeGrant extends DocAccess {
  account: Account;
  docId: string;
}

export interface UpgradeAuthOptions {
  singleUseTickets?: boolean;
  /** Recent grants (SQLite only); without it every upgrade asks the database. */
  grants?: GrantCache;
  /** Memoized ticket signatures; without it every ticket's HMAC is computed. */
  tickets?: TicketVerifier;
}

type Ctx = Pick<AppContext, 'db' | 'config'>;

/**
 * What every upgrade passes first, before any database: Origin, the document id and, when the request
 * names a ticket, the ticket's signature and expiry (not its spend). Hand it on in the same turn.
 */
export interface CheckedUpgrade {
  docId: string;
  /** The ticket, verified; undefined when the request names none (the session cookie is the credential). */
  ticket: VerifiedTicket | undefined;
}

/** The synchronous path's answer: the grant, or what it checked for authenticateUpgrade to go on from. */
export type UpgradeNow = { grant: UpgradeGrant; checked?: never } | { grant?: never; checked: CheckedUpgrade };

/** Document ids are our UUIDs; anything else is refused before touching the database. */
const DOC_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** `/yjs/<docId>?...` to the document id, or undefined for other paths. */
export function docIdOf(url: string | undefined): string | undefined {
  if (!url?.startsWith(YJS_PATH_PREFIX)) return undefined;
  const path = url.slice(YJS_PATH_PREFIX.length).split('?')[0] ?? '';
  let id: string;
  try {
    id = decodeURIComponent(path);
  } catch {
    return '';
  }
  return id;
}

/**
 * The first `ticket` parameter of the query, decoded as URLSearchParams would ('+' is a space), without
 * building a URL object per upgrade. A value that does not decode is returned as it is: it then fails
 * the signature check, as before, rather than falling through to the cookie.
 */
export function ticketParam(url: string | undefined): string | null {
  const q = url?.indexOf('?') ?? -1;
  if (!url || q < 0) return null;
  for (const pair of url.slice(q + 1).split('&')) {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    if (name !== 'ticket') continue;
    const value = eq < 0 ? '' : pair.slice(eq + 1).replace(/\+/g, ' ');
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return null;
}

/** The checks before any credential: Origin and the document id. Throws the refusal. */
function requestedDoc(ctx: Ctx, req: IncomingMessage): string {
  if (!isAllowedOrigin(req.headers.origin, req.headers.host, ctx.config)) throw new AppError('forbidden', 'websocket from a foreign origin refused');
  const docId = docIdOf(req.url);
  if (!docId || !DOC_ID.test(docId)) throw new AppError('not_found', 'document not found');
  return docId;
}

const unauthenticated = () => new AppError('unauthenticated', 'log in first, or pass a valid ?ticket=');

const checkTicket = (ctx: Ctx, docId: string, ticket: string, opts: UpgradeAuthOptions): VerifiedTicket | undefined =>
  opts.tickets ? opts.tickets.verify(docId, ticket) : verifyTicket(ctx.config.sessionSecret, docId, ticket);

/** The checks before the database (CheckedUpgrade). Throws the refusal. */
function checkUpgrade(ctx: Ctx, req: IncomingMessage, opts: UpgradeAuthOptions): CheckedUpgrade {
  const docId = requestedDoc(ctx, req);
  const ticket = ticketParam(req.url);
  if (!ticket) return { docId, ticket: undefined };
  // A wrong ticket is refused even if a cookie came along: the caller meant the ticket.
  const verified = checkTicket(ctx, docId, ticket, opts);
  if (!verified) throw unauthenticated();
  return { docId, ticket: verified };
}

/**
 * The grant without waiting, when a ticket and a still-valid cached grant allow it; else what it checked
 * on the way, for authenticateUpgrade (which asks the database). Throws the same refusals as
 * authenticateUpgrade for what it decides itself (origin, document id, a forged, expired or spent ticket).
 */
export function authenticateUpgradeNow(ctx: Ctx, req: IncomingMessage, opts: UpgradeAuthOptions): UpgradeNow {
  const checked = checkUpgrade(ctx, req, opts);
  const { docId, ticket } = checked;
  if (!ticket || !opts.grants || !(ctx.db instanceof SqliteDb) || ctx.db.busy) return { checked };
  const cached = opts.grants.get(ticket.accountId, docId);
  if (!cached) return { checked };
  if ((opts.singleUseTickets ?? true) && !spendTicketNow(ctx.db, ticket.id, ticket.expiresAt)) throw unauthenticated();
  return { grant: { meta: cached.meta, role: cached.role, account: cached.account, docId } };
}

/**
 * The grant, asking the database. `checked` is what authenticateUpgradeNow checked of this same request
 * a moment ago (none of it is checked again); without it the checks run here.
 */
export async function authenticateUpgrade(ctx: Ctx, req: IncomingMessage, opts: UpgradeAuthOptions = {}, checked?: CheckedUpgrade): Promise<UpgradeGrant> {
  const { docId, ticket } = checked ?? checkUpgrade(ctx, req, opts);
  const account = await accountFrom(ctx, req, ticket, opts);
  if (!account) throw unauthenticated();
  return { ...(await authorize(ctx, docId, account, opts.grants)), account, docId };
}

/**
 * authorizeDoc, through the cache when there is one; a fresh answer is kept unless it may end by itself.
 * The cache is looked at here even after the synchronous path missed it: the cookie path has not looked
 * yet, and another upgrade may have filled it while this one waited for the database.
 */
async function authorize(ctx: Ctx, docId: string, account: Account, grants: GrantCache | undefined): Promise<DocAccess> {
  if (!grants || !(ctx.db instanceof SqliteDb)) return authorizeDoc(ctx.db, docId, account);
  const cached = grants.get(account.id, docId);
  if (cached) return { meta: cached.meta, role: cached.role };
  const epoch = grants.epoch();
  const access = await authorizeDoc(ctx.db, docId, account);
  if (!ctx.db.busy && !membershipExpires(ctx.db, access.meta.workspaceId, account.id)) grants.set(account.id, docId, { ...access, account }, epoch);
  return access;
}

/** The account of a verified ticket (spending it), else of the session cookie. */
async function accountFrom(ctx: Ctx, req: IncomingMessage, ticket: VerifiedTicket | undefined, opts: UpgradeAuthOptions): Promise<Account | undefined> {
  if (ticket) {
    // Single-use: a second connection with the same ticket (a replay, a leaked URL) is refused as if
    // the ticket were wrong; a client that reconnects asks for a fresh one.
    if ((opts.singleUseTickets ?? true) && !(await spendTicket(ctx.db, ticket.id, ticket.expiresAt))) return undefined;
    const found = await accountStore.byId(ctx.db, ticket.accountId);
    return found && publicAccount(found);
  }
  const cookie = readSessionCookie(req.headers.cookie);
  return cookie ? (await fromSessionCookie(ctx, cookie))?.account : undefined;
}

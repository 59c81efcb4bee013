/**
 * Authentication of a websocket upgrade to `/yjs/<docId>`, before the socket opens: the Origin
 * header, then the session cookie or a `?ticket=`, then `authorizeDoc`. A refusal is an HTTP status
 * written on the raw socket, so a client never sees a single byte of a document it may not open.
 */
import type { IncomingMessage } from 'node:http';
import type { Account } from '@huntroom/shared';
import type { AppContext } from '../context.js';
import { AppError } from '../http/errors.js';
import { isAllowedOrigin } from '../http/origin.js';
import { readSessionCookie } from '../auth/cookies.js';
import { fromSessionCookie } from '../auth/service.js';
import { accountStore, publicAccount } from '../auth/store.js';
import { YJS_PATH_PREFIX } from '@huntroom/shared';
import { authorizeDoc, type DocAccess } from './authorize.js';
import { verifyTicket } from './tickets.js';
import { spendTicket } from './ticketStore.js';

export interface UpgradeGrant extends DocAccess {
  account: Account;
  docId: string;
}

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

export async function authenticateUpgrade(ctx: Pick<AppContext, 'db' | 'config'>, req: IncomingMessage, opts: { singleUseTickets?: boolean } = {}): Promise<UpgradeGrant> {
  if (!isAllowedOrigin(req.headers.origin, req.headers.host, ctx.config)) throw new AppError('forbidden', 'websocket from a foreign origin refused');
  const docId = docIdOf(req.url);
  if (!docId || !DOC_ID.test(docId)) throw new AppError('not_found', 'document not found');
  const account = await accountFrom(ctx, req, docId, opts.singleUseTickets ?? true);
  if (!account) throw new AppError('unauthenticated', 'log in first, or pass a valid ?ticket=');
  return { ...(await authorizeDoc(ctx.db, docId, account)), account, docId };
}

async function accountFrom(ctx: Pick<AppContext, 'db' | 'config'>, req: IncomingMessage, docId: string, singleUse: boolean): Promise<Account | undefined> {
  const ticket = new URL(req.url ?? '/', 'http://x').searchParams.get('ticket');
  if (ticket) {
    // A wrong ticket is refused even if a cookie came along: the caller meant the ticket.
    const verified = verifyTicket(ctx.config.sessionSecret, docId, ticket);
    // Single-use: a second connection with the same ticket (a replay, a leaked URL) is refused as if
    // the ticket were wrong; a client that reconnects asks for a fresh one.
    if (!verified || (singleUse && !(await spendTicket(ctx.db, verified.id, verified.expiresAt)))) return undefined;
    const found = await accountStore.byId(ctx.db, verified.accountId);
    return found && publicAccount(found);
  }
  const cookie = readSessionCookie(req.headers.cookie);
  return cookie ? (await fromSessionCookie(ctx, cookie))?.account : undefined;
}

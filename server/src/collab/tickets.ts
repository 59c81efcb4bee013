/**
 * Short-lived tickets for the document socket, for clients that cannot send the session cookie
 * (scripts, other origins' tools). Stateless and signed, so any node of a cluster can check one:
 * `<accountId>.<expiryMs>.<hmac>`, the HMAC (SHA-256, keyed by SESSION_SECRET) covering the document
 * id, the account and the expiry. A ticket opens one document, for at most its lifetime (60 s).
 */
import { createHmac } from 'node:crypto';
import { safeEqual } from '../util.js';

const sign = (secret: string, docId: string, accountId: string, exp: number): string =>
  createHmac('sha256', secret).update(`huntroom-yjs-ticket\n${docId}\n${accountId}\n${exp}`).digest('base64url');

export function issueTicket(secret: string, docId: string, accountId: string, ttlMs: number, now = Date.now()): { ticket: string; expiresAt: string } {
  const exp = now + ttlMs;
  return { ticket: `${accountId}.${exp}.${sign(secret, docId, accountId, exp)}`, expiresAt: new Date(exp).toISOString() };
}

/** The account id the ticket was issued to, if it is genuine, for this document, and not expired. */
export function verifyTicket(secret: string, docId: string, ticket: string, now = Date.now()): string | undefined {
  const parts = ticket.split('.');
  if (parts.length !== 3) return undefined;
  const [accountId, expText, sig] = parts as [string, string, string];
  const exp = Number(expText);
  if (!accountId || !Number.isSafeInteger(exp) || exp < now) return undefined;
  return safeEqual(sig, sign(secret, docId, accountId, exp)) ? accountId : undefined;
}

/**
 * Short-lived tickets for the document socket, for clients that cannot send the session cookie
 * (scripts, other origins' tools). Signed, so any node of a cluster can check one:
 * `<accountId>.<expiryMs>.<nonce>.<hmac>`, the HMAC (SHA-256, keyed by SESSION_SECRET) covering the
 * document id, the account, the expiry and a random nonce. A ticket opens one document, once, within
 * its lifetime (60 s): the upgrade spends it (ticketStore.ts, in the shared database, so a second
 * connection with the same ticket is refused on every node). A client reconnecting asks for a new one.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { safeEqual } from '../util.js';

const sign = (secret: string, docId: string, accountId: string, exp: number, nonce: string): string =>
  createHmac('sha256', secret).update(`huntroom-yjs-ticket\n${docId}\n${accountId}\n${exp}\n${nonce}`).digest('base64url');

export function issueTicket(secret: string, docId: string, accountId: string, ttlMs: number, now = Date.now()): { ticket: string; expiresAt: string } {
  const exp = now + ttlMs;
  const nonce = randomBytes(12).toString('base64url');
  return { ticket: `${accountId}.${exp}.${nonce}.${sign(secret, docId, accountId, exp, nonce)}`, expiresAt: new Date(exp).toISOString() };
}

export interface VerifiedTicket {
  accountId: string;
  /** Unique per ticket: what is recorded when it is spent. */
  id: string;
  expiresAt: number;
}

/** The ticket's account and id, if it is genuine, for this document, and not expired (spent or not). */
export function verifyTicket(secret: string, docId: string, ticket: string, now = Date.now()): VerifiedTicket | undefined {
  const parts = ticket.split('.');
  if (parts.length !== 4) return undefined;
  const [accountId, expText, nonce, sig] = parts as [string, string, string, string];
  const exp = Number(expText);
  if (!accountId || !nonce || !Number.isSafeInteger(exp) || exp < now) return undefined;
  return safeEqual(sig, sign(secret, docId, accountId, exp, nonce)) ? { accountId, id: sig, expiresAt: exp } : undefined;
}

/**
 * verifyTicket with a memory of the genuine tickets it saw: the HMAC was the largest part of an
 * upgrade's own CPU when one ticket opens many sockets (the benchmark's rooms, with single-use tickets
 * off). Only tickets whose signature checked out are kept, so nothing an attacker makes up is stored;
 * the expiry is checked on every use; at `max` entries the memory starts over.
 */
export class TicketVerifier {
  private readonly genuine = new Map<string, VerifiedTicket>();
  constructor(
    private readonly secret: string,
    private readonly max = 10_000,
  ) {}

  verify(docId: string, ticket: string, now = Date.now()): VerifiedTicket | undefined {
    const key = `${docId}\n${ticket}`;
    const known = this.genuine.get(key);
    if (known) return known.expiresAt < now ? undefined : known;
    const verified = verifyTicket(this.secret, docId, ticket, now);
    if (verified) {
      if (this.genuine.size >= this.max) this.genuine.clear();
      this.genuine.set(key, verified);
    }
    return verified;
  }
}

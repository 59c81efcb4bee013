import { describe, expect, it } from 'vitest';
import { issueTicket, verifyTicket } from './tickets.js';

const SECRET = 's'.repeat(64);

describe('document tickets', () => {
  it('opens only its document, for its account, until it expires', () => {
    const now = 1_700_000_000_000;
    const { ticket } = issueTicket(SECRET, 'doc-1', 'acct-1', 60_000, now);
    expect(verifyTicket(SECRET, 'doc-1', ticket, now + 59_000)).toMatchObject({ accountId: 'acct-1', expiresAt: now + 60_000 });
    expect(verifyTicket(SECRET, 'doc-2', ticket, now)).toBeUndefined();
    expect(verifyTicket(SECRET, 'doc-1', ticket, now + 61_000)).toBeUndefined();
    expect(verifyTicket('t'.repeat(64), 'doc-1', ticket, now)).toBeUndefined();
  });

  it('refuses edited or malformed tickets', () => {
    const now = Date.now();
    const { ticket } = issueTicket(SECRET, 'doc-1', 'acct-1', 60_000, now);
    const [acct, exp, nonce, sig] = ticket.split('.');
    expect(verifyTicket(SECRET, 'doc-1', `acct-2.${exp}.${nonce}.${sig}`, now)).toBeUndefined();
    expect(verifyTicket(SECRET, 'doc-1', `${acct}.${Number(exp) + 1}.${nonce}.${sig}`, now)).toBeUndefined();
    expect(verifyTicket(SECRET, 'doc-1', `${acct}.${exp}.other-nonce.${sig}`, now)).toBeUndefined();
    for (const bad of ['', '...', 'a.b', 'a.b.c', 'a.b.c.d.e', `${acct}.NaN.${nonce}.${sig}`, `${acct}.${exp}..${sig}`])
      expect(verifyTicket(SECRET, 'doc-1', bad, now)).toBeUndefined();
  });

  it('gives every ticket its own id, even two issued in the same millisecond', () => {
    const now = Date.now();
    const a = verifyTicket(SECRET, 'doc-1', issueTicket(SECRET, 'doc-1', 'acct-1', 60_000, now).ticket, now);
    const b = verifyTicket(SECRET, 'doc-1', issueTicket(SECRET, 'doc-1', 'acct-1', 60_000, now).ticket, now);
    expect(a && b && a.id !== b.id).toBe(true);
  });
});

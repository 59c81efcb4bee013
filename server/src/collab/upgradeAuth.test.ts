import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { openStorage } from '../storage/open.js';
import type { SqliteDb } from '../storage/sqlite.js';
import { docStore } from './store.js';
import { createGrantCache } from './grantCache.js';
import { issueTicket, TicketVerifier } from './tickets.js';
import { authenticateUpgrade, authenticateUpgradeNow, ticketParam, type UpgradeAuthOptions } from './upgradeAuth.js';

describe('ticketParam', () => {
  it('reads the ticket as URLSearchParams does, for the queries a client or an attacker may send', () => {
    const urls = [
      '/yjs/doc',
      '/yjs/doc?',
      '/yjs/doc?ticket=',
      '/yjs/doc?ticket',
      '/yjs/doc?ticket=a.1.n.sig',
      '/yjs/doc?x=1&ticket=a%2Eb.1.n.s%3D&ticket=second',
      '/yjs/doc?ticketx=1&xticket=2',
      '/yjs/doc?ticket=a+b',
      '/yjs/doc?a=1&&ticket=%41%42',
      '/yjs/doc?room=x&ticket=acct.1700000000000.bm9uY2U.c2ln',
    ];
    for (const url of urls) expect(ticketParam(url), url).toBe(new URL(url, 'http://x').searchParams.get('ticket'));
  });

  it('keeps a value that does not decode as it is, so it fails the signature check instead of being dropped', () => {
    expect(ticketParam('/yjs/doc?ticket=%E0%A4%A')).toBe('%E0%A4%A');
    expect(ticketParam(undefined)).toBeNull();
  });
});

describe('an upgrade by ticket that misses the grant cache', () => {
  const secret = 'upgrade-auth-unit';
  const config = { sessionSecret: secret, allowedOrigins: [] } as unknown as Config;
  let dir: string;
  let db: SqliteDb;
  /** Counts the ticket checks (signature and expiry) the upgrade asks for. */
  let verified: number;
  let opts: UpgradeAuthOptions;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'huntroom-upgrade-unit-'));
    db = (await openStorage({ dataDir: dir })) as SqliteDb;
    await db.run("INSERT INTO teams (id, code, name, color, created_at) VALUES ('t1', 'US', 'US', '#000', 'now')");
    await db.run("INSERT INTO accounts (id, username, display_name, password_hash, team_id, created_at) VALUES ('a1', 'a', 'A', 'x', 't1', 'now')");
    await db.run("INSERT INTO workspaces (id, name, description, default_tlp, created_by, created_at) VALUES ('w1', 'W', '', 'AMBER', 'a1', 'now')");
    await db.run("INSERT INTO members (workspace_id, account_id, role, added_at) VALUES ('w1', 'a1', 'hunter', 'now')");
    await docStore.insert(db, { id: 'd1', workspaceId: 'w1', kind: 'note', title: 'd1', marking: { tlp: 'AMBER', releasableTo: [] }, ownerTeamId: 't1', createdBy: 'a1' });
    verified = 0;
    const tickets = new TicketVerifier(secret);
    opts = {
      grants: createGrantCache(db, { ttlMs: 60_000, maxEntries: 100 }),
      tickets: { verify: (docId: string, ticket: string) => (verified++, tickets.verify(docId, ticket)) } as TicketVerifier,
    };
  });
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ctx = () => ({ db, config });
  const request = (ticket: string) => ({ url: `/yjs/d1?ticket=${encodeURIComponent(ticket)}`, headers: {} }) as IncomingMessage;
  const spent = () => db.getSync<{ n: number }>('SELECT count(*) AS n FROM doc_tickets_used')!.n;

  it('checks the ticket once and spends it once, on the path that asks the database', async () => {
    const req = request(issueTicket(secret, 'd1', 'a1', 60_000).ticket);
    const now = authenticateUpgradeNow(ctx(), req, opts);
    expect(now.grant).toBeUndefined();
    expect(verified).toBe(1);
    expect(spent()).toBe(0);
    const grant = await authenticateUpgrade(ctx(), req, opts, now.checked);
    expect(grant).toMatchObject({ docId: 'd1', role: 'hunter', account: { id: 'a1' } });
    expect(verified).toBe(1);
    expect(spent()).toBe(1);
    // The grant is cached now: the same ticket again is refused by the synchronous path, spent already.
    expect(() => authenticateUpgradeNow(ctx(), req, opts)).toThrow('log in first');
    expect(spent()).toBe(1);
  });

  it('refuses an expired or forged ticket before the database, and a spent one on either path', async () => {
    const expired = issueTicket(secret, 'd1', 'a1', 60_000, Date.now() - 120_000).ticket;
    expect(() => authenticateUpgradeNow(ctx(), request(expired), opts)).toThrow('log in first');
    expect(() => authenticateUpgradeNow(ctx(), request(issueTicket('another secret', 'd1', 'a1', 60_000).ticket), opts)).toThrow('log in first');
    const req = request(issueTicket(secret, 'd1', 'a1', 60_000).ticket);
    const first = authenticateUpgradeNow(ctx(), req, opts);
    const second = authenticateUpgradeNow(ctx(), req, opts);
    // Both missed the cache (nothing was granted yet): only one of them may spend the ticket.
    const outcomes = await Promise.allSettled([authenticateUpgrade(ctx(), req, opts, first.checked), authenticateUpgrade(ctx(), req, opts, second.checked)]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(spent()).toBe(1);
  });
});

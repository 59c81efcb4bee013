/**
 * The storage contract: one suite, run against every implementation of Db. SQLite always runs;
 * PostgreSQL runs when TEST_DATABASE_URL is set (CI sets it) in a schema of its own, dropped after.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Db } from './db.js';
import { UniqueViolation } from './db.js';
import { SqliteDb } from './sqlite.js';
import { PostgresDb } from './postgres.js';
import { migrate, MIGRATIONS } from './migrations/index.js';
import { teamStore } from '../teams/store.js';
import { accountStore } from '../auth/store.js';
import { workspaceStore } from '../workspaces/store.js';
import { auditStore } from '../audit/store.js';
import * as Y from 'yjs';
import { docStore } from '../collab/store.js';
import { UpdateLog } from '../collab/UpdateLog.js';
import { compactDoc, loadDoc } from '../collab/persistence.js';
import { recordStore } from '../records/store.js';

interface Backend {
  name: string;
  open(): Promise<Db & { cleanup(): Promise<void> }>;
  /** A second connection to the same database, as another node would have. */
  second?(first: Db): Promise<Db>;
}

const backends: Backend[] = [
  {
    name: 'sqlite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'huntroom-contract-'));
      const db = SqliteDb.open(join(dir, 'test.sqlite'));
      return Object.assign(db, {
        async cleanup() {
          await db.close();
          rmSync(dir, { recursive: true, force: true });
        },
      });
    },
  },
];

const pgUrl = process.env.TEST_DATABASE_URL;
let secondUrl = '';
if (pgUrl) {
  backends.push({
    name: 'postgres',
    async open() {
      const url = new URL(pgUrl);
      url.searchParams.set('schema', `hr_contract_${randomBytes(4).toString('hex')}`);
      const db = await PostgresDb.open(url.toString());
      secondUrl = url.toString();
      return Object.assign(db, {
        async cleanup() {
          await db.dropSchema();
          await db.close();
        },
      });
    },
    second: () => PostgresDb.open(secondUrl),
  });
} else {
  console.warn('storage contract: TEST_DATABASE_URL is not set, so the PostgreSQL run is SKIPPED (SQLite only)');
}

describe.each(backends)('storage contract on $name', (backend) => {
  let db: Db & { cleanup(): Promise<void> };
  beforeAll(async () => {
    db = await backend.open();
    await migrate(db);
  });
  afterAll(() => db.cleanup());

  it('migrates once: a second run applies nothing', async () => {
    expect(await migrate(db)).toEqual([]);
    const rows = await db.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('stores and reads teams, accounts, workspaces and members through the stores', async () => {
    const team = await teamStore.create(db, { code: 'us', name: 'United States' });
    expect(team.code).toBe('US');
    expect(await teamStore.byCode(db, 'US')).toEqual(team);
    const accountId = await accountStore.create(db, { username: 'alice', displayName: 'Alice', passwordHash: 'x', teamId: team.id });
    const account = await accountStore.byUsername(db, 'alice');
    expect(account).toMatchObject({ id: accountId, username: 'alice', team: { code: 'US' } });
    const wsId = await workspaceStore.create(db, { name: 'Op', description: '', defaultTlp: 'AMBER', createdBy: accountId });
    expect(await workspaceStore.roleOf(db, wsId, accountId)).toBe('owner');
    expect(await workspaceStore.ownerCount(db, wsId)).toBe(1);
    expect(await workspaceStore.listFor(db, accountId)).toHaveLength(1);
  });

  it('maps unique-constraint violations to UniqueViolation', async () => {
    await expect(teamStore.create(db, { code: 'US', name: 'again' })).rejects.toBeInstanceOf(UniqueViolation);
  });

  it('rolls back a failed transaction entirely', async () => {
    await expect(
      db.transaction(async (tx) => {
        await teamStore.create(tx, { code: 'CA', name: 'Canada' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await teamStore.byCode(db, 'CA')).toBeUndefined();
  });

  it('keeps concurrent transactions that await from interleaving', async () => {
    await db.run("INSERT INTO settings (key, value) VALUES ('counter', '0')");
    const bump = () =>
      db.transaction(async (tx) => {
        const row = await tx.get<{ value: string }>("SELECT value FROM settings WHERE key = 'counter'" + (db.dialect === 'postgres' ? ' FOR UPDATE' : ''));
        await new Promise((r) => setTimeout(r, 2));
        await tx.run("UPDATE settings SET value = ? WHERE key = 'counter'", [String(Number(row!.value) + 1)]);
      });
    await Promise.all(Array.from({ length: 20 }, bump));
    expect((await db.get<{ value: string }>("SELECT value FROM settings WHERE key = 'counter'"))?.value).toBe('20');
  });

  it('returns counts and auto-increment ids as numbers, and audit detail as written', async () => {
    await auditStore.write(db, { action: 'test.one', detail: { a: 1, s: 'it\'s "quoted" ?' } });
    const n = await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM audit_log');
    expect(typeof n?.n).toBe('number');
    const row = await db.get<{ id: number; detail: string }>("SELECT id, detail FROM audit_log WHERE action = 'test.one'");
    expect(typeof row?.id).toBe('number');
    expect(JSON.parse(row!.detail)).toEqual({ a: 1, s: 'it\'s "quoted" ?' });
  });

  it('keeps the Yjs update log and folds it into a snapshot without losing an update', async () => {
    const owner = (await accountStore.byUsername(db, 'alice'))!;
    const wsId = (await workspaceStore.listFor(db, owner.id))[0]!.id;
    await docStore.insert(db, {
      id: `doc-${backend.name}`,
      workspaceId: wsId,
      kind: 'note',
      title: 't',
      marking: { tlp: 'AMBER', releasableTo: [] },
      ownerTeamId: owner.team.id,
      createdBy: owner.id,
    });
    const source = new Y.Doc();
    const log = new UpdateLog(db);
    source.on('update', (u: Uint8Array) => void log.append(`doc-${backend.name}`, u));
    for (let i = 0; i < 50; i++) source.getText('t').insert(0, `${i} `);
    await log.drain();
    expect((await loadDoc(db, `doc-${backend.name}`)).doc.getText('t').toString()).toBe(source.getText('t').toString());
    await compactDoc(db, `doc-${backend.name}`);
    source.getText('t').insert(0, 'after compaction ');
    await log.drain();
    const loaded = await loadDoc(db, `doc-${backend.name}`);
    expect(loaded.doc.getText('t').toString()).toBe(source.getText('t').toString());
    expect(loaded.logRows).toBe(1);
  });

  it('hands out each workspace seq once, also to writers on two connections (two nodes)', async () => {
    const other = backend.second ? await backend.second(db) : db;
    const owner = (await accountStore.byUsername(db, 'alice'))!;
    const wsId = await workspaceStore.create(db, { name: 'seq', description: '', defaultTlp: 'AMBER', createdBy: owner.id });
    const take = (conn: Db) => conn.transaction((tx) => recordStore.allocateSeq(tx, wsId, 3));
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => take(i % 2 ? other : db)));
    // Each call reserves 3 consecutive seqs and returns the last: 3, 6, ... 120, each exactly once.
    expect([...results].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => (i + 1) * 3));
    if (other !== db) await other.close();
  });
});

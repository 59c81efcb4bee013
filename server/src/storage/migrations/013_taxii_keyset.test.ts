/**
 * Migration 13 on SQLite and (with TEST_DATABASE_URL) PostgreSQL: the TAXII page query (the first
 * page, and a page after a cursor and `added_after`) reads indicators through indicators_keyset, in
 * its order, with no sort of the workspace's rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Db } from '../db.js';
import { SqliteDb } from '../sqlite.js';
import { PostgresDb } from '../postgres.js';
import { migrate } from './index.js';
import { keysetQuery } from '../../taxii/objects.js';

type TestDb = Db & { cleanup(): Promise<void> };

const backends: { name: string; open(): Promise<TestDb> }[] = [
  {
    name: 'sqlite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'huntroom-m13-'));
      const db = SqliteDb.open(join(dir, 'test.sqlite'));
      return Object.assign(db, { cleanup: async () => (await db.close(), rmSync(dir, { recursive: true, force: true })) });
    },
  },
];
const pgUrl = process.env.TEST_DATABASE_URL;
if (pgUrl) {
  backends.push({
    name: 'postgres',
    async open() {
      const url = new URL(pgUrl);
      url.searchParams.set('schema', `hr_m13_${randomBytes(4).toString('hex')}`);
      const db = await PostgresDb.open(url.toString());
      return Object.assign(db, { cleanup: async () => (await db.dropSchema(), await db.close()) });
    },
  });
}

const ws = '00000000-0000-4000-8000-000000000001';
const queries = {
  'first page': keysetQuery(ws, undefined, undefined, 1001),
  'after a cursor and added_after': keysetQuery(ws, { at: '2026-01-01T00:00:00.000Z', id: 'abc', inclusive: true }, '2025-01-01T00:00:00.000Z', 1001),
};

describe.each(backends)('migration 13 (TAXII keyset index) on $name', (backend) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await backend.open();
    await migrate(db);
  });
  afterAll(() => db.cleanup());

  it.each(Object.entries(queries))('the page query (%s) reads indicators_keyset in order, no sort', async (_name, q) => {
    let plan: string;
    if (db.dialect === 'sqlite') {
      const rows = await db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${q.sql}`, q.params);
      plan = rows.map((r) => r.detail).join('\n');
      expect(plan).toMatch(/USING (COVERING )?INDEX indicators_keyset/);
      expect(plan).not.toMatch(/TEMP B-TREE/);
    } else {
      // An empty table is scanned rather than indexed by the planner's costs: with sequential scans
      // priced out, what is left says whether the index serves this query's filter and order.
      plan = await db.transaction(async (tx) => {
        await tx.run('SET LOCAL enable_seqscan = off');
        const rows = await tx.all<{ 'QUERY PLAN': string }>(`EXPLAIN ${q.sql}`, q.params);
        return rows.map((r) => r['QUERY PLAN']).join('\n');
      });
      expect(plan).toMatch(/Index Scan using indicators_keyset/);
      expect(plan).not.toMatch(/Sort/);
    }
  });
});

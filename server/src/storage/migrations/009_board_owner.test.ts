/**
 * Migration 9 on SQLite and (with TEST_DATABASE_URL) PostgreSQL: boards that took their first
 * reader's team are given to the workspace's team where that changes who sees nothing; narrowed
 * boards keep theirs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Marking } from '@huntroom/shared';
import type { Db } from '../db.js';
import { SqliteDb } from '../sqlite.js';
import { PostgresDb } from '../postgres.js';
import { migrate } from './index.js';
import { boardOwner } from './009_board_owner.js';
import { teamStore } from '../../teams/store.js';
import { accountStore } from '../../auth/store.js';
import { workspaceStore } from '../../workspaces/store.js';
import { docStore } from '../../collab/store.js';

type TestDb = Db & { cleanup(): Promise<void> };

const backends: { name: string; open(): Promise<TestDb> }[] = [
  {
    name: 'sqlite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'huntroom-m9-'));
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
      url.searchParams.set('schema', `hr_m9_${randomBytes(4).toString('hex')}`);
      const db = await PostgresDb.open(url.toString());
      return Object.assign(db, { cleanup: async () => (await db.dropSchema(), await db.close()) });
    },
  });
}

describe.each(backends)('migration 9 (board owner team) on $name', (backend) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await backend.open();
    await migrate(db);
  });
  afterAll(() => db.cleanup());

  it('gives widely marked boards to the workspace team, leaves narrowed ones as they are', async () => {
    const [us, lv] = [await teamStore.create(db, { code: 'US', name: 'US' }), await teamStore.create(db, { code: 'LV', name: 'LV' })];
    const alice = await accountStore.create(db, { username: 'alice', displayName: 'Alice', passwordHash: 'x', teamId: us.id });
    const liga = await accountStore.create(db, { username: 'liga', displayName: 'Liga', passwordHash: 'x', teamId: lv.id });
    const board = async (marking: Marking) => {
      const ws = await workspaceStore.create(db, { name: 'w', description: '', defaultTlp: 'AMBER', createdBy: alice });
      // As the old code made it: the first reader (an LV observer) became the owner team.
      await docStore.insert(db, { id: `attack-${ws}`, workspaceId: ws, kind: 'attack', title: 'ATT&CK board', marking, ownerTeamId: lv.id, createdBy: liga });
      return `attack-${ws}`;
    };
    const wide = await board({ tlp: 'AMBER', releasableTo: [] });
    const clear = await board({ tlp: 'CLEAR', releasableTo: [] });
    const strict = await board({ tlp: 'AMBER+STRICT', releasableTo: [] });
    const listed = await board({ tlp: 'AMBER', releasableTo: [us.id] });
    await db.transaction(async (tx) => {
      for (const sql of boardOwner.up({ blob: '', bigint: '', dialect: 'sqlite' })) await tx.run(sql);
    });
    expect(await docStore.meta(db, wide)).toMatchObject({ ownerTeamId: us.id, createdBy: alice });
    expect(await docStore.meta(db, clear)).toMatchObject({ ownerTeamId: us.id, createdBy: alice });
    expect(await docStore.meta(db, strict)).toMatchObject({ ownerTeamId: lv.id, createdBy: liga });
    expect(await docStore.meta(db, listed)).toMatchObject({ ownerTeamId: lv.id, createdBy: liga });
  });
});

/**
 * A real database for the record plane's and the indicators' unit tests: SQLite in a temp dir (or
 * PostgreSQL in a throw-away schema when TEST_DATABASE_URL is set and `pg` is asked for), migrated,
 * with three teams, their hunters, an observer and one workspace. Not used by the running server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Account, Role } from '@huntroom/shared';
import type { Db } from '../storage/db.js';
import { SqliteDb } from '../storage/sqlite.js';
import { PostgresDb } from '../storage/postgres.js';
import { migrate } from '../storage/migrations/index.js';
import { teamStore } from '../teams/store.js';
import { accountStore } from '../auth/store.js';
import { workspaceStore } from '../workspaces/store.js';
import { createLogger } from '../log.js';
import { RealtimeHub } from '../realtime/hub.js';
import type { RecordContext } from './command.js';

export interface Kit {
  db: Db;
  ctx: RecordContext;
  workspaceId: string;
  /** alice US owner, ben CA hunter, liga LV hunter, olga LV observer. */
  accounts: Record<'alice' | 'ben' | 'liga' | 'olga', Account>;
  close(): Promise<void>;
}

export async function openKit(backend: 'sqlite' | 'postgres' = 'sqlite'): Promise<Kit> {
  let db: Db;
  let cleanup: () => Promise<void>;
  if (backend === 'postgres') {
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.searchParams.set('schema', `hr_records_${randomBytes(4).toString('hex')}`);
    const pg = await PostgresDb.open(url.toString());
    db = pg;
    cleanup = async () => (await pg.dropSchema(), await pg.close());
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'huntroom-records-'));
    const sqlite = SqliteDb.open(join(dir, 'test.sqlite'));
    db = sqlite;
    cleanup = async () => (await sqlite.close(), rmSync(dir, { recursive: true, force: true }));
  }
  await migrate(db);
  const people: [keyof Kit['accounts'], string, Role][] = [
    ['alice', 'US', 'owner'],
    ['ben', 'CA', 'hunter'],
    ['liga', 'LV', 'hunter'],
    ['olga', 'LV', 'observer'],
  ];
  const accounts = {} as Kit['accounts'];
  for (const [username, code] of people) {
    const team = (await teamStore.byCode(db, code)) ?? (await teamStore.create(db, { code, name: code }));
    const id = await accountStore.create(db, { username, displayName: username, passwordHash: 'x', teamId: team.id });
    accounts[username] = { id, username, displayName: username, team };
  }
  const workspaceId = await workspaceStore.create(db, { name: 'hunt', description: '', defaultTlp: 'AMBER', createdBy: accounts.alice.id });
  for (const [username, , role] of people.slice(1)) await workspaceStore.addMember(db, workspaceId, accounts[username].id, role);
  const ctx: RecordContext = { db, log: createLogger('silent'), realtime: new RealtimeHub() };
  return { db, ctx, workspaceId, accounts, close: cleanup };
}

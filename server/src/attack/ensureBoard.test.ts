/**
 * The ATT&CK board created by two transactions at once on PostgreSQL (board.ts `ensureBoard`): on a
 * replica a federation message creates the board inside the message's transaction, and a member on
 * another node may open it at the same moment. The second insert must not abort the transaction it
 * runs in (a caught unique violation would: the message would be refused and its marks lost). Runs
 * when TEST_DATABASE_URL is set, in a schema of its own, dropped after; SQLite has one writer at a time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { PostgresDb } from '../storage/postgres.js';
import { migrate } from '../storage/migrations/index.js';
import { teamStore } from '../teams/store.js';
import { accountStore } from '../auth/store.js';
import { workspaceStore } from '../workspaces/store.js';
import { ensureBoard } from './board.js';

const pgUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!pgUrl)('ensureBoard on PostgreSQL, two creators at once', () => {
  let db: PostgresDb;
  let ws: string;

  beforeAll(async () => {
    const url = new URL(pgUrl!);
    url.searchParams.set('schema', `hr_board_${randomBytes(4).toString('hex')}`);
    db = await PostgresDb.open(url.toString());
    await migrate(db);
    const team = await teamStore.create(db, { code: 'us', name: 'United States' });
    const owner = await accountStore.create(db, { username: 'alice', displayName: 'Alice', passwordHash: 'x', teamId: team.id });
    ws = await workspaceStore.create(db, { name: 'Op', description: '', defaultTlp: 'AMBER', createdBy: owner });
  });
  afterAll(async () => {
    await db?.dropSchema();
    await db?.close();
  });

  it('lets the second transaction go on with the board the first one made', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let inserted!: () => void;
    const first = new Promise<void>((r) => (inserted = r));
    const one = db.transaction(async (tx) => {
      const meta = await ensureBoard({ db: tx }, ws);
      inserted();
      await gate;
      return meta.id;
    });
    await first;
    // The second creator's insert waits on the first one's uncommitted row.
    const two = db.transaction(async (tx) => {
      const meta = await ensureBoard({ db: tx }, ws);
      // The transaction is still usable after the board was found made by the other one.
      await tx.run("UPDATE documents SET title = 'ATT&CK board' WHERE id = ?", [meta.id]);
      return meta.id;
    });
    const waiting = async (): Promise<number> =>
      Number((await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO documents%'"))?.n ?? 0);
    for (let start = Date.now(); (await waiting()) === 0;) {
      if (Date.now() - start > 15_000) throw new Error('the second insert never waited on the first');
      await new Promise((r) => setTimeout(r, 20));
    }
    release();
    const [a, b] = await Promise.all([one, two]);
    expect(b).toBe(a);
    expect(await db.all('SELECT id FROM documents WHERE workspace_id = ?', [ws])).toEqual([{ id: `attack-${ws}` }]);
  });
});

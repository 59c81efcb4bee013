/**
 * SQLite's WAL checkpoints run in a worker thread of the node, not on the main thread that answers
 * every socket (server/src/storage/walCheckpointer.ts): the main connection's automatic checkpoint is
 * off while the worker runs, the worker still copies the log into the database file, and when the
 * worker dies the main connection checkpoints by itself again, so the log never grows without bound.
 * The worker also truncates a log grown past journal_size_limit (64 MiB), which otherwise the main
 * thread's next commit did (23 ms CPU for 165 MB, docs/performance.md, "Exports, 2026-11-29 (evening)").
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';

interface Checkpointer {
  readonly inWorker: boolean;
  terminateWorker(): Promise<void>;
}

const MiB = 1024 * 1024;

describe('SQLite WAL checkpoints off the main thread', () => {
  let node: TestServer;
  let dbFile: string;
  const checkpointer = () => (node.ctx.db as unknown as { checkpointer: Checkpointer }).checkpointer;
  const autoCheckpointPages = async () => (await node.ctx.db.get<{ wal_autocheckpoint: number }>('PRAGMA wal_autocheckpoint'))?.wal_autocheckpoint;

  /** Writes `mib` MiB in transactions of 256 KiB through the node's own connection. */
  async function write(table: string, mib: number): Promise<void> {
    await node.ctx.db.run(`CREATE TABLE IF NOT EXISTS ${table} (id INTEGER PRIMARY KEY, body BLOB NOT NULL)`);
    const chunk = Buffer.alloc(16 * 1024, 7);
    for (let t = 0; t < mib * 4; t++) {
      await node.ctx.db.transaction(async (tx) => {
        for (let i = 0; i < 16; i++) await tx.run(`INSERT INTO ${table} (body) VALUES (?)`, [chunk]);
      });
    }
  }

  beforeAll(async () => {
    node = await startTestServer();
    dbFile = join(node.dataDir, 'huntroom.sqlite');
  });
  afterAll(async () => {
    await node?.stop();
  });

  it('the worker takes the checkpoints: the main connection does none, yet the log reaches the database file', async () => {
    await vi.waitFor(() => expect(checkpointer().inWorker).toBe(true), { timeout: 20_000, interval: 20 });
    expect(await autoCheckpointPages()).toBe(0);
    const before = statSync(dbFile).size;
    await write('bulk_a', 8);
    // Only a checkpoint writes pages into the database file; the main connection has none left.
    await vi.waitFor(() => expect(statSync(dbFile).size).toBeGreaterThanOrEqual(before + 8 * MiB), { timeout: 30_000, interval: 50 });
    expect(await autoCheckpointPages()).toBe(0);
  });

  it('the worker also truncates a log that a burst grew past journal_size_limit, so the next commit of the main thread does not', async () => {
    // 72 MiB in one transaction: the log holds all of it at once, whatever the checkpoints do meanwhile.
    await node.ctx.db.run('CREATE TABLE bulk_c (id INTEGER PRIMARY KEY, body BLOB NOT NULL)');
    const chunk = Buffer.alloc(16 * 1024, 7);
    await node.ctx.db.transaction(async (tx) => {
      for (let i = 0; i < 72 * 64; i++) await tx.run('INSERT INTO bulk_c (body) VALUES (?)', [chunk]);
    });
    const wal = () => statSync(`${dbFile}-wal`).size;
    expect(wal()).toBeGreaterThan(64 * MiB);
    // Without it the log keeps its size until the main connection's next commit truncates it.
    await vi.waitFor(() => expect(wal()).toBe(0), { timeout: 60_000, interval: 50 });
  }, 90_000);

  it('when the worker dies the main connection checkpoints by itself again', async () => {
    await checkpointer().terminateWorker();
    await vi.waitFor(() => expect(checkpointer().inWorker).toBe(false), { timeout: 20_000, interval: 20 });
    expect(await autoCheckpointPages()).toBe(1000);
    const before = statSync(dbFile).size;
    await write('bulk_b', 8);
    await vi.waitFor(() => expect(statSync(dbFile).size).toBeGreaterThanOrEqual(before + 6 * MiB), { timeout: 30_000, interval: 50 });
  });
});

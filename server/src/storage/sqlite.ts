/**
 * SQLite implementation of Db on better-sqlite3 in WAL mode: the embedded default, one file in DATA_DIR.
 * better-sqlite3 is synchronous, which keeps single statements cheap; transactions are made async-safe
 * by a queue, so a transaction that awaits cannot interleave with another caller's statements.
 *
 * One writer may hold its writes back and commit many together (`holdWrites`: the UpdateLog, whose
 * updates are durable in its journal first). What it holds is committed before any other statement or
 * transaction of this connection runs, so no reader ever sees the database without them.
 */
import Database from 'better-sqlite3';
import { type Db, type SqlValue, UniqueViolation } from './db.js';
import { WalCheckpointer } from './walCheckpointer.js';

type Params = readonly SqlValue[];

/**
 * Writes committed later and together (holdWrites). `commit` gets a handle that runs statements at
 * once and transactions of their own (the queue is held for it meanwhile). What it could not store is
 * its own to keep and retry: a rejection fails no caller, and the statement it came before runs
 * without a second try.
 */
export interface HeldWrites {
  readonly holding: boolean;
  commit(db: Db): Promise<void>;
}

function toSqlite(params: Params): unknown[] {
  return params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
}

function wrap<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof Error && (err as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT_UNIQUE')) {
      throw new UniqueViolation(err.message);
    }
    if (err instanceof Error && (err as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
      throw new UniqueViolation(err.message);
    }
    throw err;
  }
}

export class SqliteDb implements Db {
  readonly dialect = 'sqlite' as const;
  private readonly statements = new Map<string, Database.Statement>();
  /** Tail of the queue of transactions and of statements waiting for one to finish. */
  private lock: Promise<void> = Promise.resolve();
  private inTransaction = false;
  private held: HeldWrites | undefined;

  /** Set when checkpoints run in a worker thread (the server); see walCheckpointer.ts. */
  checkpointer: WalCheckpointer | undefined;

  /** Counters of writes to some tables (watchWrites), and which statements touch each watcher's tables. */
  private readonly watchers: { pattern: RegExp; count: number; bySql: Map<string, boolean> }[] = [];
  private dataVersion: Database.Statement | undefined;

  constructor(readonly raw: Database.Database) {}

  static open(file: string, opts: { checkpointInWorker?: boolean } = {}): SqliteDb {
    const raw = new Database(file);
    raw.pragma('journal_mode = WAL');
    // NORMAL in WAL mode is durable against process crashes (kill -9); only an OS crash can lose
    // the last transactions, the trade SQLite documents for WAL.
    raw.pragma('synchronous = NORMAL');
    raw.pragma('foreign_keys = ON');
    raw.pragma('busy_timeout = 5000');
    // The log is reused from its start after each complete checkpoint; this truncates a log that
    // grew large in a burst, so it does not keep its peak size on disk.
    raw.pragma('journal_size_limit = 67108864');
    const db = new SqliteDb(raw);
    if (opts.checkpointInWorker) db.checkpointer = new WalCheckpointer(raw, file);
    return db;
  }

  private prepare(sql: string): Database.Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.raw.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  /**
   * Runs a statement outside any transaction: after a running one, so it never joins it by accident,
   * and after held writes are committed, so it never misses them. `work` runs right after the last
   * check, with no await between: a transaction queued meanwhile could otherwise begin in that gap
   * and take the statement in.
   */
  private async whenIdle<T>(work: () => T): Promise<T> {
    let commitFailed = false;
    for (;;) {
      if (this.inTransaction) await this.lock;
      else if (!commitFailed && this.held?.holding) commitFailed = !(await this.exclusive(() => this.runHeld()));
      else return work();
    }
  }

  /** From now on `held` is committed before anything else touches the database (see the file's top). */
  holdWrites(held: HeldWrites | undefined): void {
    this.held = held;
  }

  /** Commits what is held now, after what is queued already and before anything queued later. */
  async commitHeld(): Promise<void> {
    await this.exclusive(() => this.runHeld());
  }

  /** False if a commit of held writes failed (they are the holder's to keep and try again later). */
  private async runHeld(): Promise<boolean> {
    // A commit takes everything held when it starts; the loop is for writes held while it ran. A
    // failed one must not fail the caller it came before, nor be retried here in a loop.
    while (this.held?.holding) {
      const ok = await this.held.commit(new SqliteLocked(this)).then(
        () => true,
        () => false,
      );
      if (!ok) return false;
    }
    return true;
  }

  allSync<T>(sql: string, params: Params = []): T[] {
    return wrap(() => this.prepare(sql).all(...toSqlite(params)) as T[]);
  }
  getSync<T>(sql: string, params: Params = []): T | undefined {
    return wrap(() => this.prepare(sql).get(...toSqlite(params)) as T | undefined);
  }
  runSync(sql: string, params: Params = []): { changes: number } {
    for (const w of this.watchers) {
      let touches = w.bySql.get(sql);
      if (touches === undefined) w.bySql.set(sql, (touches = w.pattern.test(sql)));
      // Counted before the write, inside a transaction or not: a reader that noted the count before
      // its own reads sees a different count afterwards whether the write was committed or not.
      if (touches) w.count++;
    }
    return wrap(() => ({ changes: this.prepare(sql).run(...toSqlite(params)).changes }));
  }

  /** True while a transaction is open: a synchronous read now would see its uncommitted writes. */
  get busy(): boolean {
    return this.inTransaction;
  }

  /**
   * A number that changes whenever a statement of this connection whose SQL matches `pattern` (table
   * names) runs, and whenever another connection or process (the CLI) commits anything to the file
   * (SQLite's data_version). Note it before reading, compare it later: equal means none of those
   * tables changed since. For caches of what those tables decide (collab/grantCache.ts).
   */
  watchWrites(pattern: RegExp): () => number {
    const watcher = { pattern, count: 0, bySql: new Map<string, boolean>() };
    this.watchers.push(watcher);
    let lastVersion: unknown;
    return () => {
      this.dataVersion ??= this.raw.prepare('PRAGMA data_version').pluck();
      const version = this.dataVersion.get();
      if (version !== lastVersion) {
        lastVersion = version;
        watcher.count++;
      }
      return watcher.count;
    };
  }

  all<T>(sql: string, params?: Params): Promise<T[]> {
    return this.whenIdle(() => this.allSync<T>(sql, params));
  }
  get<T>(sql: string, params?: Params): Promise<T | undefined> {
    return this.whenIdle(() => this.getSync<T>(sql, params));
  }
  run(sql: string, params?: Params): Promise<{ changes: number }> {
    return this.whenIdle(() => this.runSync(sql, params));
  }

  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      await this.runHeld();
      return this.transact(fn);
    });
  }

  /** Runs `fn` when everything queued before it has finished, with the queue held (inTransaction). */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.lock.then(async () => {
      this.inTransaction = true;
      try {
        return await fn();
      } finally {
        this.inTransaction = false;
      }
    });
    this.lock = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** One transaction, run now: the caller holds the queue. */
  async transact<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    try {
      // Inside the try: BEGIN fails with SQLITE_BUSY when another process (the CLI) holds the write
      // lock past busy_timeout, and the caller must still let go of the queue.
      this.raw.exec('BEGIN IMMEDIATE');
      const value = await fn(new SqliteTx(this));
      this.raw.exec('COMMIT');
      return value;
    } catch (err) {
      if (this.raw.inTransaction) this.raw.exec('ROLLBACK');
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.commitHeld();
    await this.lock;
    await this.checkpointer?.close();
    this.raw.close();
  }
}

/** The handle passed into a transaction: runs statements at once, inside it. */
class SqliteTx implements Db {
  readonly dialect = 'sqlite' as const;
  constructor(protected readonly db: SqliteDb) {}
  async all<T>(sql: string, params?: Params): Promise<T[]> {
    return this.db.allSync<T>(sql, params);
  }
  async get<T>(sql: string, params?: Params): Promise<T | undefined> {
    return this.db.getSync<T>(sql, params);
  }
  async run(sql: string, params?: Params): Promise<{ changes: number }> {
    return this.db.runSync(sql, params);
  }
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    // Nested: already inside one transaction, which is all-or-nothing for the whole.
    return fn(this);
  }
  async close(): Promise<void> {
    throw new Error('close() inside a transaction');
  }
}

/**
 * The handle held writes are committed with: the queue is already held for them, so statements run at
 * once (outside any transaction) and a transaction begins at once (several in a row when one
 * document's failure must not fail the others).
 */
class SqliteLocked extends SqliteTx {
  override transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return this.db.transact(fn);
  }
}

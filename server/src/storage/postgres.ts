/**
 * PostgreSQL implementation of Db (cluster mode, DATABASE_URL). The portable SQL of the stores uses
 * `?` placeholders, rewritten here to `$1..$n`. 64-bit integers come back as numbers (ids and counts
 * stay far below 2^53), booleans are stored as 0/1 like on SQLite, and BYTEA arrives as Buffer.
 *
 * `?schema=name` on DATABASE_URL puts every table in that schema (created if missing): test runs and
 * several deployments can share one database.
 */
import pg from 'pg';
import { type Db, type SqlValue, UniqueViolation } from './db.js';

type Params = readonly SqlValue[];

/** Rewrites `?` to `$n`, leaving quoted strings and identifiers alone. */
export function toPositional(sql: string): string {
  let out = '';
  let n = 0;
  let quote: string | undefined;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = undefined;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') {
      out += `$${++n}`;
    } else {
      out += ch;
    }
  }
  return out;
}

function toPg(params: Params): unknown[] {
  return params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p instanceof Uint8Array && !Buffer.isBuffer(p) ? Buffer.from(p) : p));
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;
const types = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text') as (v: string) => unknown;
  }) as typeof pg.types.getTypeParser,
};

async function query(q: pg.Pool | pg.PoolClient, sql: string, params: Params): Promise<pg.QueryResult> {
  try {
    return await q.query(toPositional(sql), toPg(params));
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new UniqueViolation((err as Error).message);
    throw err;
  }
}

export class PostgresDb implements Db {
  readonly dialect = 'postgres' as const;

  private constructor(
    private readonly pool: pg.Pool,
    readonly schema: string | undefined,
  ) {}

  static async open(url: string, opts: { max?: number } = {}): Promise<PostgresDb> {
    const parsed = new URL(url);
    const schema = parsed.searchParams.get('schema') ?? undefined;
    if (schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`DATABASE_URL: bad schema name "${schema}"`);
    parsed.searchParams.delete('schema');
    const pool = new pg.Pool({
      connectionString: parsed.toString(),
      max: opts.max ?? 10,
      types,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    // A dropped idle connection must not take the process down; the pool replaces it.
    pool.on('error', () => undefined);
    // IF NOT EXISTS is not race-free: two nodes starting at once can both try to create it, and the
    // loser gets a unique violation on pg_namespace. The schema exists either way.
    if (schema) {
      await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).catch((err: { code?: string }) => {
        if (err.code !== '23505' && err.code !== '42P06') throw err;
      });
    }
    return new PostgresDb(pool, schema);
  }

  async all<T>(sql: string, params: Params = []): Promise<T[]> {
    return (await query(this.pool, sql, params)).rows as T[];
  }
  async get<T>(sql: string, params: Params = []): Promise<T | undefined> {
    return (await query(this.pool, sql, params)).rows[0] as T | undefined;
  }
  async run(sql: string, params: Params = []): Promise<{ changes: number }> {
    return { changes: (await query(this.pool, sql, params)).rowCount ?? 0 };
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const value = await fn(new PostgresTx(client));
      await client.query('COMMIT');
      return value;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /** Drops the schema given by `?schema=`: for test runs that clean up after themselves. */
  async dropSchema(): Promise<void> {
    if (this.schema) await this.pool.query(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

class PostgresTx implements Db {
  readonly dialect = 'postgres' as const;
  constructor(private readonly client: pg.PoolClient) {}
  async all<T>(sql: string, params: Params = []): Promise<T[]> {
    return (await query(this.client, sql, params)).rows as T[];
  }
  async get<T>(sql: string, params: Params = []): Promise<T | undefined> {
    return (await query(this.client, sql, params)).rows[0] as T | undefined;
  }
  async run(sql: string, params: Params = []): Promise<{ changes: number }> {
    return { changes: (await query(this.client, sql, params)).rowCount ?? 0 };
  }
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return fn(this);
  }
  async close(): Promise<void> {
    throw new Error('close() inside a transaction');
  }
}

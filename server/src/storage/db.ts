/**
 * The storage interface every domain's store.ts talks to. SQL is written once, in the portable subset
 * SQLite and PostgreSQL share, with `?` placeholders; each implementation adapts placeholders and
 * types. The interface is async because PostgreSQL is; the SQLite implementation resolves at once.
 */
export type SqlValue = string | number | bigint | null | Uint8Array | boolean;

export interface Db {
  readonly dialect: 'sqlite' | 'postgres';
  all<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
  /**
   * Runs `fn` in one transaction: all of it is committed or none of it. Transactions are serialized,
   * so code inside may await freely.
   */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Thrown by implementations for a unique-constraint violation, so services can turn it into a 409. */
export class UniqueViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UniqueViolation';
  }
}

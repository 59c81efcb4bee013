/** The shape of one migration. SQL is shared by both dialects; `t` supplies the few types that differ. */
export interface Types {
  /** Binary column: BLOB on SQLite, BYTEA on PostgreSQL. */
  blob: string;
  /** Auto-incrementing 64-bit primary key column type. */
  bigint: string;
  /** For the rare data migration whose SQL cannot be shared (JSON functions differ). */
  dialect: 'sqlite' | 'postgres';
}

export interface Migration {
  version: number;
  name: string;
  up: (t: Types) => string[];
}

/**
 * SQL of malware samples: one row per sample (its hashes and who uploaded it) and its ZIP in chunks of
 * at most CHUNK_BYTES (migration 11 says why in the database and why in chunks).
 */
import type { Db } from '../../storage/db.js';
import type { MarkedRow } from '../common/rows.js';

/** Size of one stored piece of a ZIP: small enough that a download holds one at a time. */
export const CHUNK_BYTES = 1024 * 1024;

export interface SampleRow {
  id: string;
  workspace_id: string;
  finding_id: string;
  filename: string;
  size: number;
  md5: string;
  sha1: string;
  sha256: string;
  zip_size: number;
  chunk_count: number;
  created_by: string;
  team_id: string;
  created_at: string;
}

const COLUMNS: (keyof SampleRow)[] = [
  'id',
  'workspace_id',
  'finding_id',
  'filename',
  'size',
  'md5',
  'sha1',
  'sha256',
  'zip_size',
  'chunk_count',
  'created_by',
  'team_id',
  'created_at',
];

export const sampleStore = {
  async insert(db: Db, row: SampleRow): Promise<void> {
    await db.run(
      `INSERT INTO hunt_samples (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`,
      COLUMNS.map((c) => row[c]),
    );
  },
  async get(db: Db, workspaceId: string, findingId: string, id: string): Promise<SampleRow | undefined> {
    return db.get<SampleRow>('SELECT * FROM hunt_samples WHERE workspace_id = ? AND finding_id = ? AND id = ?', [workspaceId, findingId, id]);
  },
  async listForFinding(db: Db, workspaceId: string, findingId: string): Promise<SampleRow[]> {
    return db.all<SampleRow>('SELECT * FROM hunt_samples WHERE workspace_id = ? AND finding_id = ? ORDER BY created_at, id', [workspaceId, findingId]);
  },
  /** Every sample of the workspace with its finding's marking (the sample's own): for the sync snapshot. */
  async listForWorkspace(db: Db, workspaceId: string): Promise<(SampleRow & Pick<MarkedRow, 'tlp' | 'releasable_to' | 'owner_team_id'>)[]> {
    return db.all(
      `SELECT s.*, f.tlp, f.releasable_to, f.owner_team_id FROM hunt_samples s
         JOIN hunt_findings f ON f.workspace_id = s.workspace_id AND f.id = s.finding_id
        WHERE s.workspace_id = ? ORDER BY s.created_at, s.id`,
      [workspaceId],
    );
  },
  async putChunk(db: Db, sampleId: string, n: number, data: Uint8Array): Promise<void> {
    await db.run('INSERT INTO hunt_sample_chunks (sample_id, n, data) VALUES (?, ?, ?)', [sampleId, n, data]);
  },
  async chunk(db: Db, sampleId: string, n: number): Promise<Uint8Array | undefined> {
    const row = await db.get<{ data: Uint8Array }>('SELECT data FROM hunt_sample_chunks WHERE sample_id = ? AND n = ?', [sampleId, n]);
    return row?.data;
  },
  async deleteChunks(db: Db, sampleId: string): Promise<void> {
    await db.run('DELETE FROM hunt_sample_chunks WHERE sample_id = ?', [sampleId]);
  },
  /** Deletes a sample row and its chunks (in the caller's transaction). */
  async delete(db: Db, workspaceId: string, id: string): Promise<void> {
    await db.run('DELETE FROM hunt_samples WHERE workspace_id = ? AND id = ?', [workspaceId, id]);
    await db.run('DELETE FROM hunt_sample_chunks WHERE sample_id = ?', [id]);
  },
  /** Every sample of a finding, with its chunks: a deleted finding takes its samples with it. */
  async deleteForFinding(db: Db, workspaceId: string, findingId: string): Promise<number> {
    const ids = await db.all<{ id: string }>('SELECT id FROM hunt_samples WHERE workspace_id = ? AND finding_id = ?', [workspaceId, findingId]);
    for (const { id } of ids) await sampleStore.delete(db, workspaceId, id);
    return ids.length;
  },
};

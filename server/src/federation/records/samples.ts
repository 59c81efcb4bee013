/**
 * Malware samples at the replica (docs/federation.md section 3, "Samples"): only the metadata crosses
 * (name, hashes, sizes, uploader, finding); the ZIP's bytes stay at the home. A sample has no marking of
 * its own: its events are filed under its finding's id with the finding's marking, so the border and
 * the replica's `canSee` treat it as the finding, and a finding that leaves the replica takes its
 * samples with it (hunt.ts). The replica row has `chunk_count` 0: nothing of the file is held here,
 * and the download route says so instead of sending a file.
 */
import * as z from 'zod';
import { SAMPLE_LIMITS } from '@huntroom/shared';
import type { Db } from '../../storage/db.js';
import { findingStore } from '../../hunt/findings/store.js';
import { sampleStore } from '../../hunt/samples/store.js';
import { FederationRefusal } from '../channel.js';
import { ALREADY_HELD, type Applier } from './apply.js';

const id = z.string().min(1).max(64);
const hex = (n: number) => z.string().regex(new RegExp(`^[0-9a-f]{${n}}$`));

const sampleView = z.object({
  id,
  workspaceId: id,
  findingId: id,
  filename: z.string().min(1).max(SAMPLE_LIMITS.filenameMax),
  size: z.number().int().positive().max(SAMPLE_LIMITS.maxBytes),
  md5: hex(32),
  sha1: hex(40),
  sha256: hex(64),
  zipSize: z.number().int().positive(),
  uploadedBy: id,
  team: z.object({ id, code: z.string().min(1).max(64) }),
  createdAt: z.string().min(1).max(40),
});
const createdPayload = z.object({ sample: sampleView });
const deletedPayload = z.object({ id, findingId: id });

function parse<T>(schema: z.ZodType<T>, payload: unknown, type: string): T {
  const p = schema.safeParse(payload);
  if (!p.success) throw new FederationRefusal(`${type}: ${p.error.issues[0]?.path.join('.') ?? ''} ${p.error.issues[0]?.message ?? 'invalid'}`);
  return p.data;
}

/** Whether the replica holds the finding, homed at the sending link; a finding homed elsewhere is refused. */
async function heldFinding(tx: Db, workspaceId: string, findingId: string, linkName: string): Promise<boolean> {
  const row = await findingStore.get(tx, workspaceId, findingId);
  if (!row) return false;
  const home = await tx.get<{ home_link: string | null }>('SELECT home_link FROM teams WHERE id = ?', [row.owner_team_id]);
  if (home?.home_link !== linkName) throw new FederationRefusal(`${linkName} sent a sample of finding ${findingId}, which is not homed there`);
  return true;
}

export const sampleAppliers: Record<string, Applier> = {
  async 'sample:created'(tx, { link, workspaceId, event }) {
    const p = parse(createdPayload, event.payload, event.type);
    const s = p.sample;
    if (s.findingId !== event.recordId || s.workspaceId !== workspaceId) throw new FederationRefusal(`${event.type}: sample ${s.id} is not of finding ${event.recordId}`);
    // The finding went (narrowed or deleted) after the home wrote this: nothing to hang it on.
    if (!(await heldFinding(tx, workspaceId, s.findingId, link.name))) return ALREADY_HELD;
    const held = await tx.get<{ finding_id: string; workspace_id: string }>('SELECT finding_id, workspace_id FROM hunt_samples WHERE id = ?', [s.id]);
    if (held) {
      if (held.finding_id !== s.findingId || held.workspace_id !== workspaceId) throw new FederationRefusal(`${event.type}: sample ${s.id} belongs to another finding`);
      // A finding that crossed again (a re-mark, the baseline after a new share) brings its samples again.
      return ALREADY_HELD;
    }
    await sampleStore.insert(tx, {
      id: s.id,
      workspace_id: workspaceId,
      finding_id: s.findingId,
      filename: s.filename,
      size: s.size,
      md5: s.md5,
      sha1: s.sha1,
      sha256: s.sha256,
      zip_size: s.zipSize,
      // No chunk of the file is held here: the bytes stay at the home.
      chunk_count: 0,
      created_by: s.uploadedBy,
      team_id: s.team.id,
      created_at: s.createdAt,
    });
    return p;
  },

  async 'sample:deleted'(tx, { link, workspaceId, event }) {
    const p = parse(deletedPayload, event.payload, event.type);
    if (p.findingId !== event.recordId) throw new FederationRefusal(`${event.type}: sample ${p.id} is not of finding ${event.recordId}`);
    if (!(await heldFinding(tx, workspaceId, p.findingId, link.name))) return ALREADY_HELD;
    const row = await sampleStore.get(tx, workspaceId, p.findingId, p.id);
    if (!row) return ALREADY_HELD;
    await sampleStore.delete(tx, workspaceId, row.id);
    return p;
  },
};

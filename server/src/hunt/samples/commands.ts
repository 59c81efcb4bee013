/**
 * Sample commands on the record plane: the upload's last step (the sample row, its event and its audit
 * row, in one transaction, after the ZIP's chunks are stored) and deletion. Both re-check inside the
 * transaction that the caller's team still sees the finding; the event goes to exactly the teams that
 * see the finding (its marking is the sample's).
 */
import * as z from 'zod';
import { workspaceIdSchema, type SampleView } from '@huntroom/shared';
import type { CommandDef } from '../../records/command.js';
import { forbidden, notFound } from '../../http/errors.js';
import { teamIndex } from '../../indicators/add.js';
import { can } from '../../workspaces/policy.js';
import { itemOf } from '../common/rows.js';
import { requireVisible, subject } from '../common/rules.js';
import { findingStore } from '../findings/store.js';
import { presentSample } from './present.js';
import { sampleStore } from './store.js';

const hex = (n: number) => z.string().regex(new RegExp(`^[0-9a-f]{${n}}$`));

/** Built by the upload route from what it received and stored; never sent by a client as such. */
export const addSampleSchema = z.object({
  workspaceId: workspaceIdSchema,
  findingId: z.string().min(1).max(64),
  id: z.string().min(1).max(64),
  filename: z.string().min(1).max(200),
  size: z.number().int().positive(),
  md5: hex(32),
  sha1: hex(40),
  sha256: hex(64),
  zipSize: z.number().int().positive(),
  chunkCount: z.number().int().positive(),
});

export const addSample: CommandDef<typeof addSampleSchema, { sample: SampleView }> = {
  type: 'sample:add',
  schema: addSampleSchema,
  action: 'write',
  async run(c, input) {
    // The finding may have been deleted or narrowed while the file was arriving.
    const finding = requireVisible(c.account, await findingStore.get(c.tx, c.workspace.id, input.findingId), 'finding');
    const row = {
      id: input.id,
      workspace_id: c.workspace.id,
      finding_id: finding.id,
      filename: input.filename,
      size: input.size,
      md5: input.md5,
      sha1: input.sha1,
      sha256: input.sha256,
      zip_size: input.zipSize,
      chunk_count: input.chunkCount,
      created_by: c.account.id,
      team_id: c.account.team.id,
      created_at: c.at,
    };
    await sampleStore.insert(c.tx, row);
    const sample = presentSample(row, await teamIndex(c));
    // Filed under the finding's id: a later change of the finding's marking re-marks these events with
    // it (recordStore.remark), so catch-up never hands a sample to a team that lost sight of its finding.
    await c.record({ type: 'sample:created', recordId: finding.id, payload: { sample }, audience: { item: itemOf(finding) } });
    await c.audit('hunt.sample.uploaded', { id: row.id, findingId: finding.id, sha256: row.sha256, size: row.size }, [subject('finding', finding.id, itemOf(finding))]);
    return { sample };
  },
};

export const deleteSampleSchema = z.object({ workspaceId: workspaceIdSchema, findingId: z.string().min(1).max(64), id: z.string().min(1).max(64) });

/** The uploader's team or a workspace owner may delete a sample; others who see it get 403. */
export const deleteSample: CommandDef<typeof deleteSampleSchema, { id: string }> = {
  type: 'sample:delete',
  schema: deleteSampleSchema,
  action: 'write',
  async run(c, input) {
    const finding = requireVisible(c.account, await findingStore.get(c.tx, c.workspace.id, input.findingId), 'finding');
    const row = await sampleStore.get(c.tx, c.workspace.id, finding.id, input.id);
    if (!row) throw notFound('sample');
    if (row.team_id !== c.account.team.id && !can(c.workspace.role, 'delete')) throw forbidden('only the uploading team or a workspace owner may delete a sample');
    await sampleStore.delete(c.tx, c.workspace.id, row.id);
    await c.record({ type: 'sample:deleted', recordId: finding.id, payload: { id: row.id, findingId: finding.id }, audience: { item: itemOf(finding) } });
    await c.audit('hunt.sample.deleted', { id: row.id, findingId: finding.id, sha256: row.sha256 }, [subject('finding', finding.id, itemOf(finding))]);
    return { id: row.id };
  },
};

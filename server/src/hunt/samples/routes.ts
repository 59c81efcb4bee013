/**
 * REST for malware samples on a finding (issue 18, item 4):
 * - `POST /api/workspaces/:id/findings/:findingId/samples` (multipart, field `file`, at most 64 MB):
 *   the caller is authorized (hunter or owner who sees the finding) before a byte of the body is read;
 *   the file streams to a temporary file while it is hashed, is packed into a ZipCrypto ZIP (password
 *   `infected`), the ZIP is stored in the database in chunks and both temporary files are deleted.
 *   Answers `{id, md5, sha1, sha256, size, ..., suggestedIndicators}`. `Idempotency-Key` makes a retry
 *   answer the first upload without storing the file twice.
 * - `GET …/samples` lists them; `GET …/samples/:sampleId` sends the ZIP as an attachment, never the
 *   raw file and never inline, and writes the download to the audit trail; `DELETE …/samples/:sampleId`.
 * Anyone whose team may not see the finding gets 404, as if neither finding nor sample existed.
 */
import { Router, type Request, type Response } from 'express';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Account, SampleUploaded, SampleView } from '@huntroom/shared';
import type { AppContext } from '../../context.js';
import { requireAuth } from '../../auth/middleware.js';
import { auditStore } from '../../audit/store.js';
import { AppError, notFound } from '../../http/errors.js';
import { TeamIndex } from '../../indicators/present.js';
import { execute } from '../../records/command.js';
import { unwrap } from '../../records/errors.js';
import { recordStore } from '../../records/store.js';
import { teamStore } from '../../teams/store.js';
import { newId } from '../../util.js';
import { loadWorkspace } from '../../workspaces/service.js';
import { itemOf } from '../common/rows.js';
import { subject } from '../common/rules.js';
import { visibleFindingRow } from '../findings/lookup.js';
import type { FindingRow } from '../findings/store.js';
import { sendChunks, storeChunks } from './chunks.js';
import { addSample, deleteSample } from './commands.js';
import { presentSample, suggestedIndicators } from './present.js';
import { receiveSample } from './receive.js';
import { sampleStore, type SampleRow } from './store.js';
import { zipSample } from './zip.js';

const base = '/workspaces/:id/findings/:findingId/samples';
const MULTIPART = /^multipart\/form-data\s*;\s*boundary=/i;

/**
 * Where an upload's raw file and its ZIP wait, each for the seconds of one upload. A node that starts
 * has no upload in progress, so whatever is there was left by a crash and is deleted: raw samples are
 * never kept on disk for longer than a crash and a restart.
 */
const spoolDir = (ctx: AppContext) => join(ctx.config.dataDir, 'tmp', 'samples');

export function huntSampleRoutes(ctx: AppContext): Router {
  const r = Router();
  // Synchronous, before the node takes any request, so it can never race an upload's own files.
  try {
    rmSync(spoolDir(ctx), { recursive: true, force: true });
  } catch (err) {
    ctx.log.error({ err }, 'could not clear the sample spool directory');
  }
  const teams = async () => new TeamIndex(await teamStore.list(ctx.db));

  /** Role first (404 for non-members, 403 for a role that may not), then the finding (404 when hidden). */
  const authorize = async (req: Request<{ id: string; findingId: string }>, action: 'read' | 'write') => {
    const { account } = requireAuth(req);
    await loadWorkspace(ctx.db, req.params.id, account, action);
    const finding = await visibleFindingRow(ctx.db, account, req.params.id, req.params.findingId);
    return { account, finding };
  };

  const uploaded = async (row: SampleRow, finding: FindingRow, seq: number): Promise<SampleUploaded> => {
    const t = await teams();
    return { ...presentSample(row, t), suggestedIndicators: suggestedIndicators(row, itemOf(finding), t), seq };
  };

  r.post(base, async (req, res) => {
    const { account, finding } = await authorize(req, 'write');
    const commandId = req.get('idempotency-key') ?? randomUUID();
    // A retry of an upload that was stored: the first answer, without reading the file again.
    const prior = await recordStore.ackFor(ctx.db, req.params.id, account.id, commandId);
    if (prior) {
      const { seq, data } = unwrap(prior.ack as Parameters<typeof unwrap<{ sample: SampleView }>>[0]);
      const row = data && (await sampleStore.get(ctx.db, req.params.id, finding.id, data.sample.id));
      if (!row) throw notFound('sample');
      return void res.status(200).json(await uploaded(row, finding, seq));
    }
    if (!MULTIPART.test(req.headers['content-type'] ?? '')) throw new AppError('bad_request', 'send the sample as multipart/form-data with the file in the field `file`');
    res.once('close', ctx.resources.uploads.take(account.id, req.ip ?? '', res));
    res.status(201).json(await store(req, res, account, finding, commandId));
  });

  /** Receives, zips and stores; whatever fails, no temporary file and no orphan chunk is left. */
  async function store(req: Request<{ id: string; findingId: string }>, _res: Response, account: Account, finding: FindingRow, commandId: string): Promise<SampleUploaded> {
    const dir = spoolDir(ctx);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const id = newId();
    const raw = join(dir, `${id}.upload`);
    const zip = join(dir, `${id}.zip`);
    let stored = false;
    try {
      const got = await receiveSample(req, raw);
      await zipSample(raw, got.filename, zip, new Date());
      await rm(raw, { force: true });
      const { chunkCount, zipSize } = await storeChunks(ctx.db, id, zip);
      const ack = await execute(ctx, account, addSample, {
        id: commandId,
        payload: {
          workspaceId: req.params.id,
          findingId: finding.id,
          id,
          filename: got.filename,
          size: got.size,
          md5: got.md5,
          sha1: got.sha1,
          sha256: got.sha256,
          zipSize,
          chunkCount,
        },
      });
      const { seq, data } = unwrap(ack);
      // A concurrent retry with the same key may have won: then this copy is not the stored one.
      stored = data?.sample.id === id;
      const row = data && (await sampleStore.get(ctx.db, req.params.id, finding.id, data.sample.id));
      if (!row) throw new AppError('internal', 'the sample was stored but could not be read back');
      return await uploaded(row, finding, seq);
    } finally {
      await rm(raw, { force: true });
      await rm(zip, { force: true });
      if (!stored) await sampleStore.deleteChunks(ctx.db, id).catch((err: unknown) => ctx.log.error({ err, sampleId: id }, 'could not delete the chunks of a failed upload'));
    }
  }

  r.get(base, async (req, res) => {
    const { finding } = await authorize(req, 'read');
    const t = await teams();
    const items = (await sampleStore.listForFinding(ctx.db, req.params.id, finding.id)).map((row) => presentSample(row, t));
    res.json({ items, nextCursor: null });
  });

  r.get(`${base}/:sampleId`, async (req, res) => {
    const { account, finding } = await authorize(req, 'read');
    const row = await sampleStore.get(ctx.db, req.params.id, finding.id, req.params.sampleId);
    if (!row) throw notFound('sample');
    // A replica of a finding homed on another instance holds the sample's metadata, never its file
    // (docs/federation.md, "Samples"): said plainly, after the same checks as a download.
    const home = await ctx.db.get<{ home_link: string | null }>('SELECT home_link FROM teams WHERE id = ?', [finding.owner_team_id]);
    if (home?.home_link)
      throw new AppError('conflict', `this sample's file is kept on ${home.home_link}, the home of its finding; files do not cross a link, so it cannot be downloaded here`);
    // Written before the first byte leaves: a download that is not in the trail does not happen.
    await auditStore.write(ctx.db, {
      workspaceId: req.params.id,
      actorId: account.id,
      teamId: account.team.id,
      action: 'hunt.sample.downloaded',
      detail: { id: row.id, findingId: finding.id, sha256: row.sha256 },
      about: [subject('finding', finding.id, itemOf(finding))],
    });
    res.status(200);
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Disposition', `attachment; filename="${row.sha256}.zip"`);
    res.setHeader('Content-Length', String(row.zip_size));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    await sendChunks(ctx.db, row, res);
  });

  r.delete(`${base}/:sampleId`, async (req, res) => {
    const { account } = requireAuth(req);
    const ack = await execute(ctx, account, deleteSample, {
      id: req.get('idempotency-key') ?? randomUUID(),
      payload: { workspaceId: req.params.id, findingId: req.params.findingId, id: req.params.sampleId },
    });
    const { seq, data } = unwrap(ack);
    res.json({ ...data, seq });
  });
  return r;
}

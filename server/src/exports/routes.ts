/**
 * REST: GET /api/workspaces/:id/export/:format?recipient=CA[&domain=enterprise-attack]. Anyone may
 * export what their own team sees; only workspace owners may export for another team. Every export
 * (and the counts) is built from `collectHead` and `readRows` or `countRows` (collect.ts), which keep only
 * what both the recipient and the caller's own team may see, and is written to the audit trail with its counts.
 */
import { Router, type Request, type Response } from 'express';
import * as z from 'zod';
import { attackDomainSchema, teamCodeSchema, type AttackDomain } from '@huntroom/shared';
import type { AppContext } from '../context.js';
import { requireAuth } from '../auth/middleware.js';
import { parse } from '../http/validate.js';
import { AppError, forbidden } from '../http/errors.js';
import { loadWorkspace } from '../workspaces/service.js';
import { teamStore } from '../teams/store.js';
import { auditStore } from '../audit/store.js';
import { catalogFor } from '../attack/catalog.js';
import type { TechniqueNames } from '../attack/namesTask.js';
import { collectHead, countRows, readRows, type CollectedHead } from './collect.js';
import { EXPORT_FORMATS, sentGzipped, type ExportFormat } from './formats/names.js';
import { buildInWorker, type FilePieces } from './build.js';
import { exportLimits } from './limits.js';
import { yieldToLoop } from '../util.js';

const query = z.object({ recipient: teamCodeSchema.optional(), domain: attackDomainSchema.default('enterprise-attack') });
const formatSchema = z.enum(EXPORT_FORMATS, { error: `format must be one of ${EXPORT_FORMATS.join(', ')}` });

/** The workspace, the recipient and what it may receive, after the export rules are checked. */
async function prepare(ctx: AppContext, req: Request<{ id: string }>) {
  const { account } = requireAuth(req);
  const ws = await loadWorkspace(ctx.db, req.params.id, account, 'read');
  const q = parse(query, req.query, 'query');
  const code = q.recipient ?? account.team.code;
  const recipient = await teamStore.byCode(ctx.db, code);
  if (!recipient) throw new AppError('validation_failed', `no team ${code}`, { recipient: 'unknown team code' });
  if (recipient.id !== account.team.id && ws.role !== 'owner') throw forbidden('only workspace owners may export for another team');
  // The technique names come from the worker pool (attack/namesTask.ts): parsing the enterprise index
  // here was most of the first export's 100 ms turn on the main thread (issue 21).
  const catalog = catalogFor(ctx.config.dataDir);
  // One domain after the other: three tasks at once made the pool start a second thread for the first
  // export after start (\`new Worker\`, a long turn of the main thread) while its lasting one sufficed.
  const domains: (readonly [AttackDomain, TechniqueNames])[] = [];
  for (const d of attackDomainSchema.options) domains.push([d, await catalog.get(d).names(ctx.resources.workers)] as const);
  const names = new Map<string, string>();
  for (const [, known] of domains) for (const [id, name] of known.techniques) names.set(id, name);
  const { head, sees } = await collectHead(ctx, { id: ws.id, name: ws.name, description: ws.description }, recipient, names, account.team.id);
  return { account, ws, q, head, sees, attack: domains.find(([d]) => d === q.domain)![1] };
}

/** How many items of each kind the export holds (the summary and the audit row say the same). */
const counts = (head: CollectedHead, rows: { indicators: number; timelineEvents: number }) => ({
  indicators: rows.indicators,
  notes: head.notes.length,
  marks: head.marks.length,
  networks: head.hunt.networks.length,
  hosts: head.hunt.hosts.length,
  findings: head.hunt.findings.length,
  samples: Object.values(head.hunt.samples).reduce((n, l) => n + l.length, 0),
  timelineEvents: rows.timelineEvents,
});

/**
 * The ATT&CK layer holds the board's marks only: its export thread gets no rows. They are still
 * counted (the audit row says what the workspace held for the recipient, as for every format), from
 * the columns that decide visibility only (`countRows`), and none is posted to a thread that drops them.
 */
const usesRows = (format: ExportFormat): boolean => format !== 'layer';

export function exportRoutes(ctx: AppContext): Router {
  const r = Router();
  // Per account: a few at once, a few dozen a minute (limits.ts), before any data is read.
  r.use('/workspaces/:id/export', ...exportLimits(ctx));
  // What a package for the recipient would hold, in numbers (the same rules as the export itself).
  r.get('/workspaces/:id/export', async (req: Request<{ id: string }>, res) => {
    const { ws, head, sees } = await prepare(ctx, req);
    // Counted a page at a time, holding none, with the same test as an export's rows.
    const rows = await countRows(ctx, ws.id, sees);
    res.json({ recipient: head.recipient.code, ...counts(head, rows), formats: EXPORT_FORMATS });
  });
  r.get('/workspaces/:id/export/:format', async (req: Request<{ id: string; format: string }>, res) => {
    requireAuth(req);
    const format = parse(formatSchema, req.params.format, 'params');
    const { account, ws, q, head, sees, attack } = await prepare(ctx, req);
    // The export thread starts first; the rows are read into it a page at a time once it runs (build.ts).
    const layer = { domain: q.domain, attackVersion: attack.version, known: new Set(attack.techniques.map(([id]) => id)) };
    const gzip = sentGzipped(format) && req.acceptsEncodings('gzip') === 'gzip';
    const { file, fed: rows } = await buildInWorker(
      ctx.resources.workers,
      format,
      head,
      layer,
      (sink) => (usesRows(format) ? readRows(ctx, ws.id, sees, sink) : countRows(ctx, ws.id, sees, () => sink.stopped?.() ?? false)),
      gzip,
    );

    try {
      await auditStore.write(ctx.db, {
        workspaceId: ws.id,
        actorId: account.id,
        teamId: account.team.id,
        action: 'export.created',
        detail: { format, recipient: head.recipient.code, ...counts(head, rows) },
      });
      res.setHeader('Content-Type', file.type);
      res.setHeader('Content-Disposition', `attachment; filename="${file.name}"`);
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Vary', 'Accept-Encoding');
      if (file.encoding) res.setHeader('Content-Encoding', file.encoding);
      res.setHeader('Content-Length', String(file.size));
      await sendInPieces(res, file);
    } finally {
      file.close();
    }
  });
  return r;
}

/**
 * Writes the file a piece at a time (build.ts), waiting for the socket to drain and yielding between
 * pieces, and without Express's `res.send`, which hashes the whole body for an ETag first (a SHA-1
 * over 50-70 MB of STIX or MISP held every socket of the node; an export is never cached anyway:
 * no-store). A piece is taken off the export's port only when the socket can take more and freed once
 * written, so the main thread holds a piece or two, never the file.
 */
async function sendInPieces(res: Response, file: FilePieces): Promise<void> {
  for (let piece = file.next(); piece && !res.destroyed; piece = file.next()) {
    const written = piece;
    const more = res.write(written, (err) => {
      if (!err) file.drop(written);
    });
    if (more) await yieldToLoop();
    else
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
  }
  res.end();
}

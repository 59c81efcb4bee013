/**
 * POST /api/workspaces/:id/indicators/import: one import pipeline for the browser's dialog and for
 * scripts. The caller is authorized as for any indicator write (owner or hunter; session + CSRF or a
 * personal access token) before a byte of the body is read; the body (JSON, or a multipart form with
 * the content as `file`) is read under its own limit (http/body.ts) and one upload slot, parsed by the
 * shared `parseImport` (parse.ts: inline or in the worker pool under a time budget), and saved through
 * `indicator:bulkCreate` (commit.ts).
 *
 * The answer is JSON by default. A caller that accepts `application/x-ndjson` gets a stream instead,
 * once the body is read: `{"progress": {phase, done, total}}` lines, then one `{"result": ...}` or
 * `{"error": {code, message, status}}` line (README.md). Refusals before that (401, 403, 404, 413 on
 * the declared size, 429) are ordinary JSON errors with their status.
 */
import { Router, type Request, type Response } from 'express';
import { IMPORT_STREAM_TYPE, type ImportPhase, type ImportResult, type ImportStreamLine } from '@huntroom/shared';
import type { AppContext } from '../../context.js';
import { requireAuth } from '../../auth/middleware.js';
import { readUpload } from '../../http/body.js';
import { AppError } from '../../http/errors.js';
import { toAppError } from '../../http/errorHandler.js';
import { loadWorkspace } from '../../workspaces/service.js';
import { readImportBody } from './parse.js';
import { commitImport } from './commit.js';

/** The two ways an answer goes out: one JSON body, or a stream of lines. */
interface Answer {
  progress(phase: ImportPhase, done: number, total: number): void;
  result(r: ImportResult): void;
  /** A stream's error line; a JSON answer leaves errors to the error handler (its status and body). */
  fail?(err: unknown): void;
}

function jsonAnswer(res: Response): Answer {
  return { progress: () => undefined, result: (r) => void res.status(r.dryRun ? 200 : 201).json(r) };
}

function streamAnswer(ctx: AppContext, req: Request, res: Response): Answer {
  res.status(200);
  res.setHeader('Content-Type', `${IMPORT_STREAM_TYPE}; charset=utf-8`);
  res.setHeader('Cache-Control', 'no-store');
  // A proxy that buffers would hold every progress line until the end.
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  const line = (l: ImportStreamLine) => {
    if (!res.writableEnded && !res.destroyed) res.write(`${JSON.stringify(l)}\n`);
  };
  // Parse progress comes per chunk of content; one line per whole percent is plenty for a bar.
  let last = { phase: '', pct: -1 };
  return {
    progress(phase, done, total) {
      const pct = total ? Math.floor((done / total) * 100) : 100;
      if (phase === last.phase && pct === last.pct) return;
      last = { phase, pct };
      line({ progress: { phase, done, total } });
    },
    result(r) {
      line({ result: r });
      res.end();
    },
    fail(err) {
      const known = toAppError(err);
      if (!known) ctx.log.error({ err, requestId: req.requestId, path: req.path }, 'unhandled error');
      const e = known ?? new AppError('internal', `something went wrong on the server (request ${req.requestId})`);
      line({ error: { ...e.toBody(), status: e.status } });
      res.end();
    },
  };
}

const wantsStream = (req: Request) => (req.get('accept') ?? '').toLowerCase().includes(IMPORT_STREAM_TYPE);

export function indicatorImportRoutes(ctx: AppContext): Router {
  const r = Router();
  r.post('/workspaces/:id/indicators/import', async (req, res) => {
    const { account } = requireAuth(req);
    // The same rule as every indicator write (workspaces/policy.ts): owners and hunters; observers,
    // guests and non-members are refused before the body is read.
    const workspace = await loadWorkspace(ctx.db, req.params.id, account, 'write');
    const bytes = await readUpload(req, res, ctx.resources.uploads, { multipart: true });
    const gone = new AbortController();
    res.once('close', () => gone.abort());
    const a = wantsStream(req) ? streamAnswer(ctx, req, res) : jsonAnswer(res);
    try {
      const { request, parsed } = await readImportBody(bytes, req.headers['content-type'] ?? '', {
        workers: ctx.resources.workers,
        budgetMs: ctx.config.limits.importTimeBudgetMs,
        signal: gone.signal,
        onProgress: (done, total) => a.progress('parse', done, total),
      });
      const result = await commitImport(ctx, account, workspace, parsed, request, {
        idempotencyKey: req.get('idempotency-key'),
        onProgress: (done, total) => a.progress('save', done, total),
      });
      a.result(result);
    } catch (err) {
      if (!a.fail) throw err;
      a.fail(err);
    }
  });
  return r;
}

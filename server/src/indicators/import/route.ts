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
 * `{"error": {code, message, status}}` line (README.md; http/importAnswer.ts). Refusals before that
 * (401, 403, 404, 413 on the declared size, 429) are ordinary JSON errors with their status.
 */
import { Router } from 'express';
import type { ImportResult } from '@huntroom/shared';
import type { AppContext } from '../../context.js';
import { requireAuth } from '../../auth/middleware.js';
import { readUpload } from '../../http/body.js';
import { importAnswer } from '../../http/importAnswer.js';
import { loadWorkspace } from '../../workspaces/service.js';
import { readImportBody } from './parse.js';
import { commitImport } from './commit.js';

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
    const a = importAnswer<ImportResult>(ctx.log, req, res);
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

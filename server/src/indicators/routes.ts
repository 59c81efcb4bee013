/**
 * REST for the indicator board, for scripts and page loads. Writes take the same command path as the
 * socket (records/command.ts); an `Idempotency-Key` header plays the command id, so a script's
 * retry is as safe as a socket's. Reads are filtered by `canSee` in queries.ts.
 */
import { Router, type Request } from 'express';
import { randomUUID } from 'node:crypto';
import { listIndicatorsQuerySchema } from '@huntroom/shared';
import type { AppContext } from '../context.js';
import { requireAuth } from '../auth/middleware.js';
import { parse } from '../http/validate.js';
import { loadWorkspace } from '../workspaces/service.js';
import { execute, type CommandDef } from '../records/command.js';
import { unwrap } from '../records/errors.js';
import { addComment, addSighting, bulkCreateIndicators, createIndicator } from './service.js';
import { deleteIndicator, updateIndicator } from './changes.js';
import { bulkDeleteIndicators, bulkUpdateIndicators } from './bulk.js';
import { remarkComment } from './commentMarking.js';
import { getIndicator, listIndicators } from './queries.js';
import { indicatorImportRoutes } from './import/route.js';

const base = '/workspaces/:id/indicators';

export function indicatorRoutes(ctx: AppContext): Router {
  const r = Router();
  // POST …/indicators/import: the import pipeline (import/route.ts).
  r.use(indicatorImportRoutes(ctx));

  /** Runs a command for a REST call; the body becomes the payload, path parameters win over it. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each def's own schema checks the payload.
  const command = async (req: Request, def: CommandDef<any, unknown>, extra: Record<string, string> = {}) => {
    const { account } = requireAuth(req);
    const id = req.get('idempotency-key') ?? randomUUID();
    const payload = { ...(req.body as object), workspaceId: req.params.id, ...extra };
    const { seq, data } = unwrap(await execute(ctx, account, def, { id, payload }));
    return { ...(data as object), seq };
  };

  r.get(base, async (req, res) => {
    const { account } = requireAuth(req);
    await loadWorkspace(ctx.db, req.params.id, account, 'read');
    res.json(await listIndicators(ctx.db, account, req.params.id, parse(listIndicatorsQuerySchema, req.query, 'query')));
  });
  r.get(`${base}/:indicatorId`, async (req, res) => {
    const { account } = requireAuth(req);
    await loadWorkspace(ctx.db, req.params.id, account, 'read');
    res.json(await getIndicator(ctx.db, account, req.params.id, req.params.indicatorId));
  });
  r.post(base, async (req, res) => void res.status(201).json(await command(req, createIndicator)));
  r.post(`${base}/bulk`, async (req, res) => void res.status(201).json(await command(req, bulkCreateIndicators)));
  r.patch(base, async (req, res) => void res.json(await command(req, bulkUpdateIndicators)));
  r.post(`${base}/bulk-delete`, async (req, res) => void res.json(await command(req, bulkDeleteIndicators)));
  r.patch(`${base}/:indicatorId`, async (req, res) => void res.json(await command(req, updateIndicator, { id: req.params.indicatorId })));
  r.delete(`${base}/:indicatorId`, async (req, res) => void res.json(await command(req, deleteIndicator, { id: req.params.indicatorId })));
  r.post(`${base}/:indicatorId/sightings`, async (req, res) => void res.status(201).json(await command(req, addSighting, { indicatorId: req.params.indicatorId })));
  r.post(`${base}/:indicatorId/comments`, async (req, res) => void res.status(201).json(await command(req, addComment, { indicatorId: req.params.indicatorId })));
  r.patch(
    `${base}/:indicatorId/comments/:commentId`,
    async (req, res) => void res.json(await command(req, remarkComment, { indicatorId: req.params.indicatorId, commentId: req.params.commentId })),
  );
  return r;
}

/** REST twin of `sync`: GET /api/workspaces/:id/events?since=N, for scripts and reloads. */
import { Router } from 'express';
import { syncRequestSchema } from '@huntroom/shared';
import type { AppContext } from '../context.js';
import { requireAuth } from '../auth/middleware.js';
import { parse } from '../http/validate.js';
import { syncEvents } from './sync.js';

export function recordRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/workspaces/:id/events', async (req, res) => {
    const { account } = requireAuth(req);
    const since = typeof req.query.since === 'string' && req.query.since !== '' ? Number(req.query.since) : 0;
    res.json(await syncEvents(ctx, account, parse(syncRequestSchema, { workspaceId: req.params.id, sinceSeq: since })));
  });
  return r;
}

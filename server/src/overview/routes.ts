/** REST: GET /api/workspaces/:id/overview, the hunt at a glance for any member (service.ts). */
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { requireAuth } from '../auth/middleware.js';
import { workspaceOverview } from './service.js';

export function overviewRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/workspaces/:id/overview', async (req, res) => {
    res.json(await workspaceOverview(ctx, requireAuth(req).account, req.params.id));
  });
  return r;
}

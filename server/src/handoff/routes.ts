/** REST: /api/workspaces/:id/handoffs (start, list live ones) and /handoffs/:sessionId/end. */
import { Router } from 'express';
import { startHandoffSchema } from '@huntroom/shared';
import type { AppContext } from '../context.js';
import { requestOrigin } from '../http/origin.js';
import { requireAuth } from '../auth/middleware.js';
import { parse } from '../http/validate.js';
import { endHandoff, listHandoffs, startHandoff } from './service.js';

export function handoffRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/workspaces/:id/handoffs', async (req, res) => {
    res.json({ sessions: await listHandoffs(ctx, requireAuth(req).account, req.params.id) });
  });
  r.post('/workspaces/:id/handoffs', async (req, res) => {
    const { account } = requireAuth(req);
    res.status(201).json(await startHandoff(ctx, account, req.params.id, parse(startHandoffSchema, req.body), requestOrigin(req)));
  });
  r.post('/workspaces/:id/handoffs/:sessionId/end', async (req, res) => {
    await endHandoff(ctx, requireAuth(req).account, req.params.id, req.params.sessionId);
    res.json({ ok: true });
  });
  return r;
}

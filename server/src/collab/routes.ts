/**
 * REST of the document plane: `POST /api/docs/:docId/ticket` issues a short-lived signed ticket for
 * `/yjs/<docId>?ticket=...`, for clients that cannot present the session cookie on a websocket.
 * The caller is authenticated by the usual middleware (cookie + CSRF, or bearer token) and must be
 * allowed to open the document now; the ticket is checked again, with the document, at the upgrade.
 */
import { Router } from 'express';
import type { DocTicket } from '@huntroom/shared';
import type { AppContext } from '../context.js';
import { requireAuth } from '../auth/middleware.js';
import { authorizeDoc } from './authorize.js';
import { issueTicket } from './tickets.js';

export function collabRoutes(ctx: AppContext): Router {
  const r = Router();
  r.post('/docs/:docId/ticket', async (req, res) => {
    const { account } = requireAuth(req);
    await authorizeDoc(ctx.db, req.params.docId, account);
    const body: DocTicket = issueTicket(ctx.config.sessionSecret, req.params.docId, account.id, ctx.collab.options.ticketTtlMs);
    res.status(201).json(body);
  });
  return r;
}

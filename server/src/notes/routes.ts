/** REST: /api/workspaces/:id/notes (shared document CRUD) and their named versions. */
import { Router } from 'express';
import { createVersionSchema } from '@huntroom/shared';
import type { AppContext } from '../context.js';
import { requireAuth } from '../auth/middleware.js';
import { parse } from '../http/validate.js';
import { titledDocumentRoutes } from '../documents/routes.js';
import { getVersion, listVersions, notes, restoreVersion, saveVersion } from './service.js';

export function noteRoutes(ctx: AppContext): Router {
  const r = Router();
  r.use(titledDocumentRoutes(ctx, notes, 'notes'));
  const base = '/workspaces/:id/notes/:noteId/versions';
  r.get(base, async (req, res) => {
    res.json({ versions: await listVersions(ctx, requireAuth(req).account, req.params.id, req.params.noteId) });
  });
  r.post(base, async (req, res) => {
    const { account } = requireAuth(req);
    const { name } = parse(createVersionSchema, req.body);
    res.status(201).json(await saveVersion(ctx, account, req.params.id, req.params.noteId, name));
  });
  r.get(`${base}/:versionId`, async (req, res) => {
    res.json(await getVersion(ctx, requireAuth(req).account, req.params.id, req.params.noteId, req.params.versionId));
  });
  r.post(`${base}/:versionId/restore`, async (req, res) => {
    const { account } = requireAuth(req);
    res.json(await restoreVersion(ctx, account, req.params.id, req.params.noteId, req.params.versionId));
  });
  return r;
}

/**
 * REST for one kind of titled document at /api/workspaces/:id/<path>: list, create, read, rename or
 * re-mark, delete. Thin: authenticate, validate, service. Notes add their versions on top.
 */
import { Router, type Request } from 'express';
import { createNoteSchema, updateNoteSchema } from '@huntroom/shared';
import type { AppContext } from '../context.js';
import { requireAuth } from '../auth/middleware.js';
import { parse } from '../http/validate.js';
import type { TitledDocuments } from './service.js';
import { presentDocument } from './present.js';

/** `path` is the URL segment and the list's key in the response (`notes`, `whiteboards`). */
type Params = { id: string; docId: string };

export function titledDocumentRoutes(ctx: AppContext, docs: TitledDocuments, path: string): Router {
  const r = Router();
  const base = `/workspaces/:id/${path}`;

  r.get(base, async (req: Request<Params>, res) => {
    res.json({ [path]: await docs.list(ctx, requireAuth(req).account, req.params.id) });
  });
  r.post(base, async (req: Request<Params>, res) => {
    const { account } = requireAuth(req);
    res.status(201).json(await docs.create(ctx, account, req.params.id, parse(createNoteSchema, req.body)));
  });
  r.get(`${base}/:docId`, async (req: Request<Params>, res) => {
    const { meta } = await docs.load(ctx, requireAuth(req).account, req.params.id, req.params.docId, 'read');
    res.json(presentDocument(meta));
  });
  r.patch(`${base}/:docId`, async (req: Request<Params>, res) => {
    const { account } = requireAuth(req);
    res.json(await docs.update(ctx, account, req.params.id, req.params.docId, parse(updateNoteSchema, req.body)));
  });
  r.delete(`${base}/:docId`, async (req: Request<Params>, res) => {
    await docs.remove(ctx, requireAuth(req).account, req.params.id, req.params.docId);
    res.json({ ok: true });
  });
  return r;
}

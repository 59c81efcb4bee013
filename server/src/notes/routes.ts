/** REST: /api/workspaces/:id/notes and their named versions. Thin: authenticate, validate, service. */
import { Router } from 'express';
import { createNoteSchema, createVersionSchema, updateNoteSchema } from '@huntroom/shared';
import type { AppContext } from '../context.js';
import { requireAuth } from '../auth/middleware.js';
import { parse } from '../http/validate.js';
import { createNote, deleteNote, getVersion, listNotes, listVersions, loadNote, restoreVersion, saveVersion, updateNote } from './service.js';
import { presentNote } from './present.js';

export function noteRoutes(ctx: AppContext): Router {
  const r = Router();
  const base = '/workspaces/:id/notes';

  r.get(base, async (req, res) => {
    res.json({ notes: await listNotes(ctx, requireAuth(req).account, req.params.id) });
  });
  r.post(base, async (req, res) => {
    const { account } = requireAuth(req);
    res.status(201).json(await createNote(ctx, account, req.params.id, parse(createNoteSchema, req.body)));
  });
  r.get(`${base}/:noteId`, async (req, res) => {
    const { meta } = await loadNote(ctx, requireAuth(req).account, req.params.id, req.params.noteId, 'read');
    res.json(presentNote(meta));
  });
  r.patch(`${base}/:noteId`, async (req, res) => {
    const { account } = requireAuth(req);
    res.json(await updateNote(ctx, account, req.params.id, req.params.noteId, parse(updateNoteSchema, req.body)));
  });
  r.delete(`${base}/:noteId`, async (req, res) => {
    await deleteNote(ctx, requireAuth(req).account, req.params.id, req.params.noteId);
    res.json({ ok: true });
  });

  r.get(`${base}/:noteId/versions`, async (req, res) => {
    res.json({ versions: await listVersions(ctx, requireAuth(req).account, req.params.id, req.params.noteId) });
  });
  r.post(`${base}/:noteId/versions`, async (req, res) => {
    const { account } = requireAuth(req);
    const { name } = parse(createVersionSchema, req.body);
    res.status(201).json(await saveVersion(ctx, account, req.params.id, req.params.noteId, name));
  });
  r.get(`${base}/:noteId/versions/:versionId`, async (req, res) => {
    res.json(await getVersion(ctx, requireAuth(req).account, req.params.id, req.params.noteId, req.params.versionId));
  });
  r.post(`${base}/:noteId/versions/:versionId/restore`, async (req, res) => {
    const { account } = requireAuth(req);
    res.json(await restoreVersion(ctx, account, req.params.id, req.params.noteId, req.params.versionId));
  });
  return r;
}

/**
 * REST for the ATT&CK board: GET /api/workspaces/:id/attack/board (the board document, to open with the
 * y-websocket provider), PATCH it to change its marking (workspace owners only), and Navigator layers at /api/workspaces/:id/attack/layer?domain=&team=
 * (GET exports one team or, without team, all teams; POST imports a layer into one team's marks).
 */
import { Router } from 'express';
import * as z from 'zod';
import { attackDomainSchema, CLOSE_CODES, exportLayer, type LayerImport, markingSchema, teamCodeSchema, type Account, type Workspace } from '@huntroom/shared';
import type { AppContext } from '../context.js';
import { requireAuth } from '../auth/middleware.js';
import { parse } from '../http/validate.js';
import { AppError, forbidden, notFound } from '../http/errors.js';
import { auditStore } from '../audit/store.js';
import { loadWorkspace } from '../workspaces/service.js';
import { ensureBoard, mayReadBoard, readMarks, replaceTeamMarks, setBoardOwnerTeam, workspaceTeam } from './board.js';
import { documentStore } from '../documents/store.js';
import { presentDocument } from '../documents/present.js';
import { docStore } from '../collab/store.js';
import type { AttackCatalog } from './catalog.js';
import { readUpload } from '../http/body.js';
import type { Refusal } from './importTasks.js';
import { normalizeMarkingInput } from '../markings/normalize.js';
import { teamHome } from '../federation/teams.js';
import { boardMarkingChanged } from '../federation/attack/index.js';

const boardPatch = z.object({ marking: markingSchema });

/**
 * The board, if the caller may read it (an owner always, anyone else if its team may see the marking):
 * its marks are content under its marking. A hidden board answers 404 like every hidden document (one
 * answer for "not there" and "not yours").
 */
async function visibleBoard(ctx: AppContext, ws: Workspace, account: Account) {
  const meta = await ensureBoard(ctx, ws.id);
  if (!mayReadBoard(account.team.id, ws.role, meta)) throw notFound('ATT&CK board');
  return meta;
}

const layerQuery = z.object({ domain: attackDomainSchema.default('enterprise-attack'), team: teamCodeSchema.optional() });

export function boardRoutes(ctx: AppContext, catalog: AttackCatalog): Router {
  const r = Router();
  const base = '/workspaces/:id/attack';

  r.get(`${base}/board`, async (req, res) => {
    const { account } = requireAuth(req);
    const ws = await loadWorkspace(ctx.db, req.params.id, account, 'read');
    res.json(presentDocument(await visibleBoard(ctx, ws, account)));
  });

  r.patch(`${base}/board`, async (req, res) => {
    const { account } = requireAuth(req);
    // The board is the workspace's: only its owners mark it, so no team can lock the others out.
    const ws = await loadWorkspace(ctx.db, req.params.id, account, 'manage');
    const meta = await visibleBoard(ctx, ws, account);
    // A shared workspace's board is marked by its owners at the workspace's home (federation/attack/).
    const home = await teamHome(ctx.db, meta.ownerTeamId);
    if (home) throw forbidden(`the ATT&CK board's marking is decided at the workspace's home, ${home}`);
    const team = await workspaceTeam(ctx.db, ws.id);
    const marking = await normalizeMarkingInput(ctx.db, parse(boardPatch, req.body).marking);
    const crossed = await ctx.db.transaction(async (tx) => {
      await documentStore.setMarking(tx, meta.id, marking);
      // A board made before it belonged to the workspace may still have its first reader's team.
      const reowned = meta.ownerTeamId !== team.teamId;
      if (reowned) await setBoardOwnerTeam(tx, meta.id, team.teamId);
      const detail = { from: meta.marking, to: marking, ...(reowned ? { ownerTeam: { from: meta.ownerTeamId, to: team.teamId } } : {}) };
      await auditStore.write(tx, { workspaceId: ws.id, actorId: account.id, teamId: account.team.id, action: 'attack.marking_changed', detail });
      // Links that see the board get the marking (and its marks, when it widened into their sight); a revoke otherwise.
      return boardMarkingChanged(ctx, tx, meta, (await docStore.meta(tx, meta.id))!);
    });
    crossed();
    const updated = (await docStore.meta(ctx.db, meta.id))!;
    ctx.collab.closeDocument(meta.id, CLOSE_CODES.forbidden, 'the ATT&CK board is no longer releasable to your team', (c) => mayReadBoard(c.account.team.id, c.role, updated));
    res.json(presentDocument(updated));
  });

  r.get(`${base}/layer`, async (req, res) => {
    const { account } = requireAuth(req);
    const ws = await loadWorkspace(ctx.db, req.params.id, account, 'read');
    const q = parse(layerQuery, req.query, 'query');
    const index = catalog.get(q.domain).index();
    const known = new Set(index.techniques.map((t) => t.id));
    const meta = await visibleBoard(ctx, ws, account);
    const marks = (await ctx.collab.withDocument(meta, (live) => readMarks(live.doc))).filter((m) => known.has(m.techniqueId));
    const layer = exportLayer(marks, {
      domain: q.domain,
      attackVersion: index.version,
      name: `${ws.name}${q.team ? ` (${q.team})` : ''}`,
      tlp: meta.marking.tlp,
      ...(q.team ? { team: q.team } : {}),
    });
    await auditStore.write(ctx.db, {
      workspaceId: ws.id,
      actorId: account.id,
      teamId: account.team.id,
      action: 'attack.layer_exported',
      detail: { domain: q.domain, team: q.team ?? 'all' },
    });
    res.setHeader('Content-Disposition', `attachment; filename="huntroom-${q.domain}-${q.team ?? 'all'}.json"`);
    res.json(layer);
  });

  r.post(`${base}/layer`, async (req, res) => {
    const { account } = requireAuth(req);
    const ws = await loadWorkspace(ctx.db, req.params.id, account, 'write');
    const q = parse(layerQuery, req.query, 'query');
    const team = q.team ?? account.team.code;
    // A team writes its own marks; owners may load a layer on behalf of any team.
    if (team !== account.team.code && ws.role !== 'owner') throw forbidden(`only owners may import marks for team ${team}`);
    // Read only now that the caller may write here (http/body.ts), parsed in the worker pool.
    const bytes = await readUpload(req, res, ctx.resources.uploads);
    const result = await ctx.resources.workers.run<LayerImport | Refusal>('layerImportTask', { bytes, team, domain: q.domain }, { transferList: [bytes.buffer] });
    if ('refused' in result)
      throw result.refused === 'not-json'
        ? new AppError('bad_request', 'the request body is not valid JSON')
        : new AppError('validation_failed', `not a usable Navigator layer: ${result.message}`);
    if (!result.ok) throw new AppError('validation_failed', result.error);
    const known = new Set(
      catalog
        .get(q.domain)
        .index()
        .techniques.map((t) => t.id),
    );
    const unknown = result.marks.filter((m) => !known.has(m.techniqueId)).map((m) => m.techniqueId);
    if (unknown.length) throw new AppError('validation_failed', `not in ATT&CK ${q.domain}: ${unknown.slice(0, 10).join(', ')}`);
    const meta = await visibleBoard(ctx, ws, account);
    await ctx.collab.withDocument(meta, (live) => replaceTeamMarks(live.doc, team, result.marks));
    await auditStore.write(ctx.db, {
      workspaceId: ws.id,
      actorId: account.id,
      teamId: account.team.id,
      action: 'attack.layer_imported',
      detail: { domain: q.domain, team, marks: result.marks.length },
    });
    res.status(201).json({ team, marks: result.marks.length });
  });

  return r;
}

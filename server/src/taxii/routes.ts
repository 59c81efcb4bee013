/**
 * TAXII 2.1 (OASIS) for partners, read-only, mounted at /taxii2 outside /api: a discovery resource,
 * one API root (/taxii2/api/), one collection per workspace the token's account is a live member of
 * (id = the workspace id, a UUID), and its objects and manifest as the token's TEAM may see them
 * (objects.ts, a page read from the store at its cursor). Authentication is a personal access token
 * only (auth.ts); every answer, errors too, is TAXII JSON (errors.ts). Reading objects builds STIX, so
 * those routes share the exports' per-account limits (a few at once, a few dozen a minute; exports/limits.ts).
 */
import { Router, type Request, type Response, type NextFunction } from 'express';
import type { AppContext } from '../context.js';
import type { Workspace } from '@huntroom/shared';
import { requireAuth } from '../auth/middleware.js';
import { workspaceStore } from '../workspaces/store.js';
import { exportLimits } from '../exports/limits.js';
import { taxiiAuthenticate } from './auth.js';
import { TaxiiError, taxiiErrorHandler } from './errors.js';
import { acceptsTaxii, sendTaxii, STIX_MEDIA_TYPE, TAXII_MEDIA_TYPE } from './media.js';
import { collectionPage, readQuery, type Entry, type Page } from './objects.js';

const API_ROOT = 'api';

function collectionOf(ws: Workspace) {
  return {
    id: ws.id,
    title: ws.name,
    ...(ws.description ? { description: ws.description } : {}),
    can_read: true,
    can_write: false,
    media_types: [STIX_MEDIA_TYPE],
  };
}

/** The workspace behind a collection id, if the caller is a live member; else a TAXII 404 (never a hint it exists). */
async function collection(ctx: AppContext, req: Request<{ id: string }>): Promise<Workspace> {
  const { account } = requireAuth(req);
  const id = req.params.id;
  const ws = /^[0-9a-f-]{36}$/i.test(id) ? await workspaceStore.getFor(ctx.db, id, account.id) : undefined;
  if (!ws) throw new TaxiiError(404, 'Collection not found', `no collection ${id} for this token`);
  return ws;
}

function dateHeaders(res: Response, items: Entry[]) {
  if (!items.length) return;
  res.setHeader('X-TAXII-Date-Added-First', items[0]!.dateAdded);
  res.setHeader('X-TAXII-Date-Added-Last', items.at(-1)!.dateAdded);
}

export function taxiiRoutes(ctx: AppContext): Router {
  const r = Router();
  // Only reads: anything else is refused before authentication, and no body is ever read.
  r.use((req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    res.setHeader('Allow', 'GET, HEAD');
    throw new TaxiiError(405, 'Method not allowed', 'this TAXII server is read-only (can_write: false)');
  });
  r.use(taxiiAuthenticate(ctx));
  r.use((req, _res, next) => {
    if (!acceptsTaxii(req.headers.accept)) throw new TaxiiError(406, 'Not acceptable', `this server answers ${TAXII_MEDIA_TYPE} only`);
    next();
  });

  r.get('/', (req, res) => {
    const base = `${req.protocol}://${req.get('host')}${req.baseUrl}/`;
    sendTaxii(res, {
      title: 'Huntroom TAXII 2.1',
      description: 'What your team may see in each Huntroom workspace you are a member of, as STIX 2.1. Read-only.',
      default: `${base}${API_ROOT}/`,
      api_roots: [`${base}${API_ROOT}/`],
    });
  });
  r.get(`/${API_ROOT}/`, (_req, res) => {
    sendTaxii(res, {
      title: 'Huntroom workspaces',
      description: 'One collection per workspace; objects are filtered by TLP and releasability for the token’s team.',
      versions: [TAXII_MEDIA_TYPE],
      // Nothing may be written here; the spec requires the field.
      max_content_length: 0,
    });
  });
  r.get(`/${API_ROOT}/collections/`, async (req, res) => {
    const { account } = requireAuth(req);
    sendTaxii(res, { collections: (await workspaceStore.listFor(ctx.db, account.id)).map(collectionOf) });
  });
  r.get(`/${API_ROOT}/collections/:id/`, async (req: Request<{ id: string }>, res) => {
    sendTaxii(res, collectionOf(await collection(ctx, req)));
  });

  // Objects and manifests build the workspace's STIX view: the exports' limits apply (own counters).
  const limits = exportLimits(ctx);
  const objects = async (req: Request<{ id: string; objectId?: string }>): Promise<Page> => {
    const ws = await collection(ctx, req);
    const q = readQuery(req.query);
    if (req.params.objectId) q.ids = new Set([req.params.objectId]);
    const { account } = requireAuth(req);
    return collectionPage(ctx, ws, account.team, q);
  };
  r.get(`/${API_ROOT}/collections/:id/objects/`, ...limits, async (req: Request<{ id: string }>, res) => {
    const { items, more, next } = await objects(req);
    dateHeaders(res, items);
    sendTaxii(res, { more, ...(next ? { next } : {}), objects: items.map((e) => e.object) });
  });
  r.get(`/${API_ROOT}/collections/:id/objects/:objectId/`, ...limits, async (req: Request<{ id: string; objectId: string }>, res) => {
    const { items, more, next } = await objects(req);
    if (!items.length) throw new TaxiiError(404, 'Object not found', `no object ${req.params.objectId} in this collection for this token`);
    dateHeaders(res, items);
    sendTaxii(res, { more, ...(next ? { next } : {}), objects: items.map((e) => e.object) });
  });
  r.get(`/${API_ROOT}/collections/:id/manifest/`, ...limits, async (req: Request<{ id: string }>, res) => {
    const { items, more, next } = await objects(req);
    dateHeaders(res, items);
    sendTaxii(res, {
      more,
      ...(next ? { next } : {}),
      objects: items.map((e) => ({ id: e.object.id, date_added: e.dateAdded, version: e.object.modified ?? e.object.created, media_type: STIX_MEDIA_TYPE })),
    });
  });
  r.use((req: Request, _res: Response, next: NextFunction) => next(new TaxiiError(404, 'Not found', `no TAXII resource at ${req.originalUrl.split('?')[0]}`)));
  r.use(taxiiErrorHandler(ctx.log));
  return r;
}

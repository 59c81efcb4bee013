/**
 * The Express app: security headers, request ids, JSON bodies (after authentication), the /api routers of each domain,
 * the built client with a single-page fallback, and the one error handler.
 * Order per request: headers -> origin check -> authenticate -> body (by route, body.ts) -> route -> errors.
 */
import express, { type Express, type Request, type Response, type NextFunction } from 'express';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../context.js';
import { authenticate } from '../auth/middleware.js';
import { DOMAIN_ROUTERS } from './routers.js';
import { AppError } from './errors.js';
import { errorHandler } from './errorHandler.js';
import { isAllowedOrigin } from './origin.js';
import { securityHeaders } from './security.js';
import { requireWellFormedText } from './text.js';
import { bodyGate } from './body.js';

// Same relative place from dist/http and from the bundle in dist/bundle (bundle.mjs keeps that depth).
const CLIENT_DIST = resolve(dirname(fileURLToPath(import.meta.url)), '../../../client/dist');

export function createHttpApp(ctx: AppContext, health: () => Record<string, unknown> = () => ({})): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', ctx.config.trustProxy);
  app.use(securityHeaders(ctx.config));
  app.use((req: Request, res: Response, next: NextFunction) => {
    req.requestId = randomUUID().slice(0, 8);
    res.setHeader('X-Request-Id', req.requestId);
    next();
  });

  // Liveness: the process answers. Readiness: it can also reach what it depends on (Redis in cluster mode).
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true, ...health() });
  });
  app.get('/readyz', (_req, res) => {
    const h = health();
    res.status(h.ready === false ? 503 : 200).json({ ok: h.ready !== false, ...h });
  });

  const api = express.Router();
  // A cross-site page may not change anything here, whatever cookies the browser attaches.
  api.use((req, _res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD' && !isAllowedOrigin(req.headers.origin, req.headers.host, ctx.config)) {
      throw new AppError('forbidden', 'request from a foreign origin refused');
    }
    next();
  });
  // Who is calling is known from the headers before any body is read; then each route's body rule
  // (body.ts): small JSON parsed here, whole files read by their route after it authorized the caller.
  api.use(authenticate(ctx));
  api.use(bodyGate());
  api.use(requireWellFormedText);
  for (const router of DOMAIN_ROUTERS) api.use(router(ctx));
  api.use((req) => {
    throw new AppError('not_found', `no API route ${req.method} ${req.path}`);
  });
  app.use('/api', api);
  // TAXII 2.1 for partners' tools: outside /api, it authenticates by access token only and answers TAXII JSON (taxii/routes.ts).
  // Its router and the STIX builder it brings (10 modules) load on the first TAXII request, not at
  // start: few nodes are ever asked (issue 21, start to ready; docs/performance.md).
  let taxii: Promise<express.Router> | undefined;
  app.use('/taxii2', (req, res, next) => {
    taxii ??= import('../taxii/routes.js').then((m) => m.taxiiRoutes(ctx));
    taxii.then((router) => router(req, res, next)).catch(next);
  });

  if (existsSync(join(CLIENT_DIST, 'index.html'))) {
    app.use(express.static(CLIENT_DIST, { index: false, maxAge: '1h' }));
    // Client-side routes: any other GET that wants HTML gets the app.
    app.get(/^\/(?!api\/|yjs\/|socket\.io\/).*/, (req, res, next) => {
      if (!req.accepts('html')) return next();
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(join(CLIENT_DIST, 'index.html'));
    });
  }
  app.use((req: Request) => {
    throw new AppError('not_found', `nothing at ${req.path}`);
  });
  app.use(errorHandler(ctx.log));
  return app;
}

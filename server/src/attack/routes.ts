/**
 * REST: GET /api/attack/:domain serves the compact index (gzip, ETag, 304); POST /api/attack/import
 * takes a newer STIX 2.0/2.1 bundle from an owner of any workspace (ATT&CK data is shared by all).
 */
import { Router } from 'express';
import { attackDomainSchema } from '@huntroom/shared';
import type { AppContext } from '../context.js';
import { requireAuthority } from '../authority/policy.js';
import { requireAuth } from '../auth/middleware.js';
import { AppError } from '../http/errors.js';
import { auditStore } from '../audit/store.js';
import { gunzipSync } from 'node:zlib';
import { catalogFor } from './catalog.js';
import { readUpload } from '../http/body.js';
import type { AttackImported, Refusal } from './importTasks.js';
import { boardRoutes } from './boardRoutes.js';

export function attackRoutes(ctx: AppContext): Router {
  const r = Router();
  const catalog = catalogFor(ctx.config.dataDir);
  r.use(boardRoutes(ctx, catalog));

  r.get('/attack/:domain', (req, res) => {
    requireAuth(req);
    const parsed = attackDomainSchema.safeParse(req.params.domain);
    if (!parsed.success) throw new AppError('not_found', `no ATT&CK domain "${req.params.domain}" (use enterprise-attack, ics-attack or mobile-attack)`);
    const entry = catalog.get(parsed.data);
    res.setHeader('ETag', entry.etag);
    res.setHeader('Cache-Control', 'private, no-cache');
    res.setHeader('Vary', 'Accept-Encoding');
    if (req.get('if-none-match') === entry.etag) return void res.status(304).end();
    res.type('application/json');
    if (req.acceptsEncodings('gzip')) {
      res.setHeader('Content-Encoding', 'gzip');
      return void res.send(entry.gz);
    }
    res.send(gunzipSync(entry.gz));
  });

  r.post('/attack/import', async (req, res) => {
    const { account } = requireAuth(req);
    // The catalog is the server's, used by every workspace: the operator's act (authority/policy.ts).
    await requireAuthority(ctx.db, account, 'attack.import');
    // Only now is the body read (http/body.ts): 100 MB at most, parsed and converted in the worker pool.
    const bytes = await readUpload(req, res, ctx.resources.uploads);
    const result = await ctx.resources.workers.run<AttackImported | Refusal>('attackImportTask', { bytes }, { transferList: [bytes.buffer] });
    if ('refused' in result) {
      if (result.refused === 'not-json') throw new AppError('bad_request', 'the request body is not valid JSON');
      throw new AppError('validation_failed', `not a usable ATT&CK bundle: ${result.message}`);
    }
    catalog.store(result.summary.domain, Buffer.from(result.gz.buffer, result.gz.byteOffset, result.gz.byteLength));
    const { summary } = result;
    await auditStore.write(ctx.db, { actorId: account.id, teamId: account.team.id, action: 'attack.imported', detail: summary });
    res.status(201).json(summary);
  });

  return r;
}

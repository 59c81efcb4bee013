/**
 * REST for hunt operations, for scripts and page loads (README "Hunt operations"). Writes take the
 * record plane's one command path, as the socket does; an `Idempotency-Key` header plays the command
 * id, so a script's retry is as safe as a socket's. Reads are filtered by `canSee` in queries.ts.
 */
import { Router, type Request } from 'express';
import { randomUUID } from 'node:crypto';
import { type Account, listFindingsQuerySchema, listHostsQuerySchema, listNetworksQuerySchema, listTimelineQuerySchema } from '@huntroom/shared';
import type { AppContext } from '../context.js';
import { requireAuth } from '../auth/middleware.js';
import { parse } from '../http/validate.js';
import { loadWorkspace } from '../workspaces/service.js';
import { execute, type CommandDef } from '../records/command.js';
import { unwrap } from '../records/errors.js';
import type { HuntKindName } from './common/rules.js';
import { createNetwork, deleteNetwork, updateNetwork } from './networks/commands.js';
import { bulkCreateHosts, createHost, deleteHost, updateHost } from './hosts/commands.js';
import { createFinding, deleteFinding, updateFinding } from './findings/commands.js';
import { bulkCreateTimelineEvents, createTimelineEvent, deleteTimelineEvent, updateTimelineEvent } from './timeline/commands.js';
import { getHuntItem, listFindings, listHosts, listNetworks, listTimeline } from './queries.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each def's own schema checks the payload.
type AnyDef = CommandDef<any, unknown>;

interface KindRoutes {
  kind: HuntKindName;
  path: string;
  list: (db: AppContext['db'], account: Account, workspaceId: string, query: unknown) => Promise<unknown>;
  create: AnyDef;
  bulk?: AnyDef;
  update: AnyDef;
  remove: AnyDef;
}

const KINDS: KindRoutes[] = [
  {
    kind: 'network',
    path: 'networks',
    list: (db, account, ws, query) => listNetworks(db, account, ws, parse(listNetworksQuerySchema, query, 'query')),
    create: createNetwork,
    update: updateNetwork,
    remove: deleteNetwork,
  },
  {
    kind: 'host',
    path: 'hosts',
    list: (db, account, ws, query) => listHosts(db, account, ws, parse(listHostsQuerySchema, query, 'query')),
    create: createHost,
    bulk: bulkCreateHosts,
    update: updateHost,
    remove: deleteHost,
  },
  {
    kind: 'finding',
    path: 'findings',
    list: (db, account, ws, query) => listFindings(db, account, ws, parse(listFindingsQuerySchema, query, 'query')),
    create: createFinding,
    update: updateFinding,
    remove: deleteFinding,
  },
  {
    kind: 'timeline',
    path: 'timeline',
    list: (db, account, ws, query) => listTimeline(db, account, ws, parse(listTimelineQuerySchema, query, 'query')),
    create: createTimelineEvent,
    bulk: bulkCreateTimelineEvents,
    update: updateTimelineEvent,
    remove: deleteTimelineEvent,
  },
];

/** Path parameters of these routes (their paths are built per kind, so Express cannot infer them). */
const params = (req: Request) => req.params as { id: string; itemId: string };

export function huntRoutes(ctx: AppContext): Router {
  const r = Router();
  /** Runs a command for a REST call; the body becomes the payload, path parameters win over it. */
  const command = async (req: Request, def: AnyDef, extra: Record<string, string> = {}) => {
    const { account } = requireAuth(req);
    const id = req.get('idempotency-key') ?? randomUUID();
    const body: unknown = req.body;
    const payload = { ...(body && typeof body === 'object' && !Array.isArray(body) ? body : {}), workspaceId: params(req).id, ...extra };
    const { seq, data } = unwrap(await execute(ctx, account, def, { id, payload }));
    return { ...(data as object), seq };
  };
  for (const k of KINDS) {
    const base = `/workspaces/:id/${k.path}`;
    r.get(base, async (req, res) => {
      const { account } = requireAuth(req);
      await loadWorkspace(ctx.db, params(req).id, account, 'read');
      res.json(await k.list(ctx.db, account, params(req).id, req.query));
    });
    r.post(base, async (req, res) => void res.status(201).json(await command(req, k.create)));
    if (k.bulk) {
      const bulk = k.bulk;
      r.post(`${base}/bulk`, async (req, res) => void res.status(201).json(await command(req, bulk)));
    }
    r.get(`${base}/:itemId`, async (req, res) => {
      const { account } = requireAuth(req);
      const { id, itemId } = params(req);
      await loadWorkspace(ctx.db, id, account, 'read');
      res.json(await getHuntItem(ctx.db, account, id, k.kind, itemId));
    });
    r.patch(`${base}/:itemId`, async (req, res) => void res.json(await command(req, k.update, { id: params(req).itemId })));
    r.delete(`${base}/:itemId`, async (req, res) => void res.json(await command(req, k.remove, { id: params(req).itemId })));
  }
  return r;
}

/**
 * Hunt imports for the browser's dialogs and for scripts (issue 18, items 2 and 5):
 * - `POST /api/workspaces/:id/hosts/import` `{networkId, format: nmap|csv, content, mapping?, tlp?,
 *   releasableTo?, dryRun?}`: an nmap XML scan or a hosts CSV into hosts of one network, deduplicated
 *   by the host commands (by hostname and address);
 * - `POST /api/workspaces/:id/timeline/import` `{content, timeZone?, tlp?, releasableTo?, dryRun?}`:
 *   a super-timeline CSV (plaso l2tcsv or dynamic, Timesketch) into timeline events, each event's host
 *   name matched to a host the caller sees.
 * The caller is authorized as for any hunt write before the body is read; the body (up to 50 MB) is
 * read under one upload slot and parsed in the worker pool; rows that cannot be read come back as
 * `problems`, rows the commands refuse as `rejected` results, the rest is saved.
 */
import { Router } from 'express';
import { randomUUID } from 'node:crypto';
import { canSee, hostnameKey, type HuntImportResult, type TlpLevel } from '@huntroom/shared';
import type { AppContext } from '../../context.js';
import { requireAuth } from '../../auth/middleware.js';
import { readUpload } from '../../http/body.js';
import { loadWorkspace } from '../../workspaces/service.js';
import { bulkCreateHosts } from '../hosts/commands.js';
import { bulkCreateTimelineEvents } from '../timeline/commands.js';
import { markedItem } from '../common/rows.js';
import { readInPool, saveInBatches } from './run.js';

export function huntImportRoutes(ctx: AppContext): Router {
  const r = Router();

  r.post('/workspaces/:id/hosts/import', async (req, res) => {
    const { account } = requireAuth(req);
    await loadWorkspace(ctx.db, req.params.id, account, 'write');
    const read = await readInPool(ctx, 'hosts', await readUpload(req, res, ctx.resources.uploads));
    const { networkId, tlp, releasableTo, dryRun } = read.request;
    const marking = { ...(tlp ? { tlp } : {}), ...(releasableTo ? { releasableTo } : {}) };
    const items = read.hosts.map(({ row, ...host }) => ({ row, item: { networkId, ...marking, ...host } }));
    const saved = dryRun
      ? { results: [], created: 0, merged: 0, rejected: 0 }
      : await saveInBatches(ctx, account, bulkCreateHosts, req.params.id, req.get('idempotency-key') ?? randomUUID(), items);
    const result: HuntImportResult = { format: read.format, read: read.hosts.length, problems: read.problems, ...saved, dryRun: !!dryRun };
    res.status(dryRun ? 200 : 201).json(result);
  });

  r.post('/workspaces/:id/timeline/import', async (req, res) => {
    const { account } = requireAuth(req);
    await loadWorkspace(ctx.db, req.params.id, account, 'write');
    const read = await readInPool(ctx, 'timeline', await readUpload(req, res, ctx.resources.uploads));
    const { tlp, releasableTo, dryRun } = read.request;
    const hosts = await visibleHostIds(ctx, account.team.id, req.params.id);
    const unknown = new Set<string>();
    const items = read.events.map((e) => {
      const hostId = e.host ? hosts.get(hostnameKey(e.host)) : undefined;
      if (e.host && !hostId) unknown.add(e.host);
      // What the time means is part of what happened ("Last Access Time: ..."), so it leads the description.
      const description = (e.timestampDescription ? `${e.timestampDescription}: ${e.description}` : e.description).slice(0, 20_000);
      const item = {
        at: e.at,
        sourceTimeZone: e.sourceTimeZone,
        description,
        ...(e.source ? { source: e.source } : {}),
        ...(hostId ? { hostId } : {}),
        ...(tlp ? { tlp } : {}),
        ...(releasableTo ? { releasableTo } : {}),
      };
      return { row: e.row, item };
    });
    const saved = dryRun
      ? { results: [], created: 0, merged: 0, rejected: 0 }
      : await saveInBatches(ctx, account, bulkCreateTimelineEvents, req.params.id, req.get('idempotency-key') ?? randomUUID(), items);
    const result: HuntImportResult = {
      format: read.format,
      read: read.events.length,
      problems: read.problems,
      ...saved,
      unknownHosts: [...unknown].slice(0, 1_000),
      dryRun: !!dryRun,
    };
    res.status(dryRun ? 200 : 201).json(result);
  });
  return r;
}

/**
 * Host ids by hostname key among the hosts the caller's team sees; a name two visible hosts share
 * (on two networks) matches neither, rather than the wrong one.
 */
async function visibleHostIds(ctx: AppContext, teamId: string, workspaceId: string): Promise<Map<string, string>> {
  const rows = await ctx.db.all<{ id: string; hostname_key: string; tlp: TlpLevel; releasable_to: string; owner_team_id: string }>(
    "SELECT id, hostname_key, tlp, releasable_to, owner_team_id FROM hunt_hosts WHERE workspace_id = ? AND hostname_key <> ''",
    [workspaceId],
  );
  const byName = new Map<string, string>();
  const twice = new Set<string>();
  for (const row of rows) {
    if (!canSee(teamId, markedItem(row))) continue;
    if (byName.has(row.hostname_key)) twice.add(row.hostname_key);
    else byName.set(row.hostname_key, row.id);
  }
  for (const k of twice) byName.delete(k);
  return byName;
}

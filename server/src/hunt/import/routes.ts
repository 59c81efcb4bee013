/**
 * Hunt imports for the browser's dialogs and for scripts (issue 18, items 2 and 5):
 * - `POST /api/workspaces/:id/hosts/import` `{networkId, format: nmap|csv, content, mapping?, tlp?,
 *   releasableTo?, dryRun?}`: an nmap XML scan or a hosts CSV into hosts of one network, deduplicated
 *   by the host commands (by hostname and address);
 * - `POST /api/workspaces/:id/timeline/import` `{content, timeZone?, tlp?, releasableTo?, dryRun?}`:
 *   a super-timeline CSV (plaso l2tcsv or dynamic, Timesketch) into timeline events, each event's host
 *   name matched to a host the caller sees.
 * The caller is authorized as for any hunt write before the body is read; the body (up to 50 MB) is
 * read under one upload slot and parsed in the worker pool within IMPORT_TIME_BUDGET_MS; rows that
 * cannot be read come back as `problems`, rows the commands refuse as `rejected` results, the rest is
 * saved. The answer is JSON, or with `Accept: application/x-ndjson` progress lines and the result
 * line, as the indicator import answers (http/importAnswer.ts).
 */
import { Router, type Request } from 'express';
import { randomUUID } from 'node:crypto';
import { canSee, hostnameKey, type Account, type HuntImportResult, type TlpLevel } from '@huntroom/shared';
import type { AppContext } from '../../context.js';
import { requireAuth } from '../../auth/middleware.js';
import { readUpload } from '../../http/body.js';
import { importAnswer } from '../../http/importAnswer.js';
import { loadWorkspace } from '../../workspaces/service.js';
import { bulkCreateHosts } from '../hosts/commands.js';
import { bulkCreateTimelineEvents } from '../timeline/commands.js';
import { markedItem } from '../common/rows.js';
import { readInPool, saveInBatches } from './run.js';
import type { HostsRead, TimelineRead } from './task.js';

export function huntImportRoutes(ctx: AppContext): Router {
  const r = Router();

  /**
   * The steps both imports share: authorize, read the body (one upload slot), then answer as JSON or
   * as a stream of progress lines (http/importAnswer.ts), reading in the pool under the time budget.
   */
  const route = <K extends 'hosts' | 'timeline'>(path: string, kind: K, save: (c: ImportCall, read: K extends 'hosts' ? HostsRead : TimelineRead) => Promise<HuntImportResult>) =>
    r.post(path, async (req: Request<{ id: string }>, res) => {
      const { account } = requireAuth(req);
      await loadWorkspace(ctx.db, req.params.id, account, 'write');
      const bytes = await readUpload(req, res, ctx.resources.uploads);
      const gone = new AbortController();
      res.once('close', () => gone.abort());
      const a = importAnswer<HuntImportResult>(ctx.log, req, res);
      try {
        const read = await readInPool(ctx, kind, bytes, { signal: gone.signal, onProgress: (done, total) => a.progress('parse', done, total) });
        const call: ImportCall = {
          account,
          workspaceId: req.params.id,
          key: req.get('idempotency-key') ?? randomUUID(),
          onSaved: (done, total) => a.progress('save', done, total),
        };
        a.result(await save(call, read));
      } catch (err) {
        if (!a.fail) throw err;
        a.fail(err);
      }
    });

  route('/workspaces/:id/hosts/import', 'hosts', async (c, read) => {
    const { networkId, tlp, releasableTo, dryRun } = read.request;
    const marking = { ...(tlp ? { tlp } : {}), ...(releasableTo ? { releasableTo } : {}) };
    const items = read.hosts.map(({ row, ...host }) => ({ row, item: { networkId, ...marking, ...host } }));
    const saved = dryRun ? { results: [], created: 0, merged: 0, rejected: 0 } : await saveInBatches(ctx, c.account, bulkCreateHosts, c.workspaceId, c.key, items, c.onSaved);
    return { format: read.format, read: read.hosts.length, problems: read.problems, ...saved, dryRun: !!dryRun };
  });

  route('/workspaces/:id/timeline/import', 'timeline', async (c, read) => {
    const { tlp, releasableTo, dryRun } = read.request;
    const hosts = await visibleHostIds(ctx, c.account.team.id, c.workspaceId);
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
      : await saveInBatches(ctx, c.account, bulkCreateTimelineEvents, c.workspaceId, c.key, items, c.onSaved);
    return { format: read.format, read: read.events.length, problems: read.problems, ...saved, unknownHosts: [...unknown].slice(0, 1_000), dryRun: !!dryRun };
  });
  return r;
}

interface ImportCall {
  account: Account;
  workspaceId: string;
  key: string;
  onSaved: (done: number, total: number) => void;
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

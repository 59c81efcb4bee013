/**
 * Runs a hunt import's reading step in the worker pool and turns a refusal into its AppError; then
 * saves what was read through a bulk command of the record plane, in batches of the bulk limit, each
 * batch with an idempotency key made from the request's, so a retried import saves nothing twice.
 */
import { createHash } from 'node:crypto';
import { HUNT_LIMITS, type HuntBulkResult, type ImportRowOutcome } from '@huntroom/shared';
import type { Account } from '@huntroom/shared';
import type { AppContext } from '../../context.js';
import { AppError } from '../../http/errors.js';
import { execute, type CommandDef } from '../../records/command.js';
import { unwrap } from '../../records/errors.js';
import { runWithBudget } from '../../workers/budget.js';
import type { HostsRead, HuntImportRefusal, HuntImportTaskInput, TimelineRead } from './task.js';

/**
 * Reads in the pool under the import time budget (IMPORT_TIME_BUDGET_MS, workers/budget.ts), as the
 * indicator import does: a file that takes longer is stopped and refused (413), nothing saved.
 */
export async function readInPool<K extends HuntImportTaskInput['kind']>(
  ctx: AppContext,
  kind: K,
  bytes: Uint8Array,
  opts: { signal: AbortSignal; onProgress: (done: number, total: number) => void },
): Promise<K extends 'hosts' ? HostsRead : TimelineRead> {
  const budget = { ...opts, budgetMs: ctx.config.limits.importTimeBudgetMs, transferList: [bytes.buffer] };
  const r = await runWithBudget<HostsRead | TimelineRead | HuntImportRefusal>(ctx.resources.workers, 'huntImportTask', { kind, bytes }, budget);
  if ('refused' in r) throw new AppError(r.refused, r.message, r.fields);
  return r as K extends 'hosts' ? HostsRead : TimelineRead;
}

/** Saves `items` (each from a source row) in batches; answers per row and the totals. */
export async function saveInBatches(
  ctx: AppContext,
  account: Account,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the def's own schema checks each item.
  def: CommandDef<any, HuntBulkResult>,
  workspaceId: string,
  key: string,
  items: { row: number; item: Record<string, unknown> }[],
  onProgress: (done: number, total: number) => void = () => undefined,
): Promise<{ results: ImportRowOutcome[]; created: number; merged: number; rejected: number }> {
  const results: ImportRowOutcome[] = [];
  for (let start = 0, batch = 0; start < items.length; start += HUNT_LIMITS.bulkMax, batch++) {
    const slice = items.slice(start, start + HUNT_LIMITS.bulkMax);
    // One command id per batch, derived from the request's key (command ids are letters, digits, - and _).
    const id = createHash('sha256').update(`${key}\n${batch}`).digest('hex').slice(0, 40);
    const { data } = unwrap(await execute(ctx, account, def, { id, payload: { workspaceId, items: slice.map((s) => s.item) } }));
    for (const r of data?.results ?? []) {
      const row = slice[r.index]!.row;
      results.push(r.outcome === 'rejected' ? { row, outcome: 'rejected', reason: r.reason } : { row, outcome: r.outcome, ...(r.id ? { id: r.id } : {}) });
    }
    onProgress(Math.min(start + slice.length, items.length), items.length);
  }
  const count = (o: ImportRowOutcome['outcome']) => results.filter((r) => r.outcome === o).length;
  return { results, created: count('created'), merged: count('merged') + count('exists-hidden'), rejected: count('rejected') };
}

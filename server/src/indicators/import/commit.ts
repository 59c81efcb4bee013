/**
 * An import's saving step: the user's choices applied to the judged candidates (shared `planImport`,
 * as the dialog's preview applies them), then the items go through `indicator:bulkCreate` in batches,
 * the same command the socket runs: its item check, marking normalization, de-duplication, record
 * events to every member who may see them, idempotency and audit. A dry run asks the same judging
 * (`judgeBulkCreate`) what it would do and writes nothing.
 */
import { createHash, randomUUID } from 'node:crypto';
import { IMPORT_LIMITS, planImport, type Account, type BulkCreateResult, type ImportRequest, type ImportResult, type ParsedImport, type Workspace } from '@huntroom/shared';
import type { RecordContext } from '../../records/command.js';
import { execute } from '../../records/command.js';
import { AppError } from '../../http/errors.js';
import { bulkCreateIndicators, judgeBulkCreate } from '../service.js';
import { addImportedComments, existingCommented } from './comments.js';
import { yieldToLoop } from '../../util.js';

export interface CommitOptions {
  /** The request's Idempotency-Key: each batch's command id is derived from it, so a retry saves nothing twice. */
  idempotencyKey?: string | undefined;
  onProgress: (done: number, total: number) => void;
}

/**
 * Items per bulkCreate command. Smaller than the command's limit (5,000): SQLite writes a batch in one
 * synchronous transaction, so a batch is how long every other socket of the node waits (about 0.5 s
 * for 5,000 on the 2-core machine, 0.2 s for 2,000); the cost is more audit and command-log rows.
 */
const SAVE_BATCH = 2_000;

/** A batch's command id: from the caller's key when there is one (stable across retries), else new. */
const batchId = (key: string | undefined, batch: number) => (key ? createHash('sha256').update(`${key}\u0000import\u0000${batch}`).digest('base64url').slice(0, 40) : randomUUID());

/**
 * Where the batch from `start` ends: SAVE_BATCH items on, moved back so that one value's run of file
 * sightings is never cut. bulkCreate counts the copies of a sighting one command brings against those
 * the indicator held (a STIX `count: 3` is three identical items): split over two commands, the
 * second would take the first's copies for held ones. A run is at most SIGHTINGS_PER_IMPORT long.
 */
export function batchEnd(items: readonly { item: { type: string; value: string }; sighting?: true }[], start: number): number {
  let end = Math.min(start + SAVE_BATCH, items.length);
  const same = (a: number, b: number) => items[a]!.sighting && items[b]!.sighting && items[a]!.item.type === items[b]!.item.type && items[a]!.item.value === items[b]!.item.value;
  while (end < items.length && end > start + 1 && same(end - 1, end)) end--;
  return end;
}

/** Listed values are cut to 200 characters, as bulkCreate's refusals are: the answer names a row, it does not echo the file. */
const short = (r: { value: string; reason: string }) => ({ value: r.value.slice(0, 200), reason: r.reason });

export async function commitImport(
  ctx: RecordContext,
  account: Account,
  workspace: Workspace,
  parsed: ParsedImport,
  request: Omit<ImportRequest, 'content'>,
  opts: CommitOptions,
): Promise<ImportResult> {
  const plan = planImport(parsed, request, workspace.defaultTlp);
  const result = { created: 0, merged: 0, sightings: 0, rejected: plan.rejected, skipped: plan.skipped };
  const items = plan.items.map((p) => p.item);
  /**
   * bulkCreate's answer for items [start, start + count): a file's sighting item is "sighted" too, so it
   * is counted apart, not as a merged indicator; its refusal is told only when its indicator's was not.
   * A sighting the indicator already held (a re-imported file's, `repeated`) is not counted; a row of a
   * value already there is merged whether or not its own sighting was a repeat.
   */
  const tally = (start: number, count: number, answer: BulkCreateResult) => {
    const refusedAt = new Set(answer.rejected.map((r) => start + r.index));
    const repeatedAt = new Set((answer.repeated ?? []).map((i) => start + i));
    let sightings = 0;
    let repeatedRows = 0;
    for (let i = start; i < start + count; i++) {
      if (plan.items[i]!.sighting) sightings += refusedAt.has(i) || repeatedAt.has(i) ? 0 : 1;
      else if (repeatedAt.has(i)) repeatedRows++;
    }
    result.created += answer.created;
    result.merged += answer.sighted - sightings + repeatedRows;
    result.sightings += sightings;
    for (const r of answer.rejected) {
      // A refusal names the file's value (the candidate's), not the item's copy.
      const p = plan.items[start + r.index]!;
      const value = p.candidate.value.slice(0, 200);
      if (p.sighting && result.rejected.some((x) => x.value === value)) continue;
      result.rejected.push({ value, reason: p.sighting ? `a sighting the file records: ${r.reason}` : r.reason });
    }
  };
  if (request.dryRun) {
    if (items.length) {
      tally(0, items.length, await judgeBulkCreate(ctx.db, workspace, account, items));
    }
  } else {
    // What was already there before this import keeps its comments (a second import adds none).
    const existed = await existingCommented(ctx, workspace, plan);
    opts.onProgress(0, items.length);
    for (let start = 0, batch = 0; start < items.length; batch++) {
      const end = batchEnd(plan.items, start);
      // SQLite runs each batch synchronously, so without this the batches form one chain of promises
      // that holds the event loop to the end: no other socket would be served meanwhile, and the
      // progress line just written would sit in the corked socket until the last batch.
      await yieldToLoop();
      const group = items.slice(start, end);
      const ack = await execute(ctx, account, bulkCreateIndicators, {
        id: batchId(opts.idempotencyKey, batch),
        type: bulkCreateIndicators.type,
        payload: { workspaceId: workspace.id, items: group },
      });
      if (!ack.ok) {
        // Batches before this one are saved (each is its own transaction); say how far it got.
        const saved = start ? ` after ${start} of ${items.length} items were saved (${result.created} new, ${result.merged} merged)` : ', nothing was saved';
        throw new AppError(ack.error.code, `the import stopped${saved}: ${ack.error.message}`, ack.error.fields);
      }
      tally(start, group.length, ack.data ?? { created: 0, sighted: 0, rejected: [] });
      opts.onProgress(start + group.length, items.length);
      start = end;
    }
    // The file's comments (STIX notes and opinions), each with its own marking, on what it created.
    result.rejected.push(...(await addImportedComments(ctx, account, workspace, plan, existed, opts.idempotencyKey)));
  }
  return {
    created: result.created,
    merged: result.merged,
    sightings: result.sightings,
    rejected: result.rejected.slice(0, IMPORT_LIMITS.listedMax).map(short),
    skipped: result.skipped.slice(0, IMPORT_LIMITS.listedMax).map(short),
    format: parsed.format,
    dryRun: request.dryRun === true,
    rejectedTotal: result.rejected.length,
    skippedTotal: result.skipped.length,
  };
}

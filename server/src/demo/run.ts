/**
 * Runs record-plane commands for the demo seed inside the seed's one transaction, at a chosen time.
 * The seed goes through the same command definitions as a user's request (validation, de-duplication,
 * events with their audiences, audit rows), so the demo's data is what the app would have made; only
 * the replay log and the live delivery are skipped (nobody is connected yet, nothing is retried).
 * `at` is in the past for most of the story, so the board and the timeline have a history.
 */
import type { Account, Workspace } from '@huntroom/shared';
import type { z } from 'zod';
import type { Db } from '../storage/db.js';
import type { CommandContext, CommandDef, NewEvent } from '../records/command.js';
import { recordStore, type StoredEvent } from '../records/store.js';
import { auditStore } from '../audit/store.js';
import { parse } from '../http/validate.js';
import { newId } from '../util.js';

export interface SeedActor {
  account: Account;
  workspace: Workspace;
}

export async function runAt<S extends z.ZodType<{ workspaceId: string }>, D>(tx: Db, who: SeedActor, def: CommandDef<S, D>, payload: object, at: Date): Promise<D> {
  const { account, workspace } = who;
  const input = parse(def.schema, { workspaceId: workspace.id, ...payload }, 'payload');
  const when = at.toISOString();
  const pending: (NewEvent & { seq: number })[] = [];
  const seqs = { next: 0, last: -1 };
  const reserve = async (n: number) => {
    const last = await recordStore.allocateSeq(tx, workspace.id, n);
    if (seqs.next > seqs.last) seqs.next = last - n + 1;
    seqs.last = last;
  };
  const c: CommandContext = {
    tx,
    account,
    workspace,
    commandId: newId(),
    at: when,
    reserve,
    record: async (e) => {
      if (seqs.next > seqs.last) await reserve(1);
      const seq = seqs.next++;
      pending.push({ ...e, seq });
      return seq;
    },
    audit: async (action, detail, about) => {
      await auditStore.write(tx, { workspaceId: workspace.id, actorId: account.id, teamId: account.team.id, action, detail: detail ?? {}, ...(about ? { about } : {}) });
      // The trail tells the story at the time it happened, as the events do.
      await tx.run('UPDATE audit_log SET at = ? WHERE id = (SELECT MAX(id) FROM audit_log)', [when]);
    },
  };
  const data = await def.run(c, input);
  const stored: StoredEvent[] = pending.map((e) => ({
    workspaceId: workspace.id,
    seq: e.seq,
    type: e.type,
    recordId: e.recordId,
    payload: e.payload,
    actorId: account.id,
    teamId: account.team.id,
    at: when,
    audience: e.audience,
  }));
  await recordStore.append(tx, stored);
  return data;
}

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
import { appendEvents, commandContext, type CommandDef } from '../records/command.js';
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
  const { c, pending } = commandContext(tx, account, workspace, newId(), when);
  const audit = c.audit.bind(c);
  c.audit = async (action, detail, about) => {
    await audit(action, detail, about);
    // The trail tells the story at the time it happened, as the events do.
    await tx.run('UPDATE audit_log SET at = ? WHERE id = (SELECT MAX(id) FROM audit_log)', [when]);
  };
  const data = await def.run(c, input);
  await appendEvents(tx, workspace.id, account, when, pending);
  return data;
}

/**
 * Catch-up after a (re)connect: exactly the events after `sinceSeq` that the caller's team may see, up
 * to the head read at the start (later ones reach the client live, since it joined its rooms first),
 * or a snapshot of the visible projection when it is too far behind or ahead of this server.
 */
import { RECORD_LIMITS, type Account, type SyncRequest, type SyncResult } from '@huntroom/shared';
import type { AppContext } from '../context.js';
import { loadWorkspace } from '../workspaces/service.js';
import { recordStore } from './store.js';
import { visibleTo } from './visibility.js';
import { SNAPSHOTS } from './registry.js';

export async function syncEvents(ctx: Pick<AppContext, 'db'>, account: Account, req: SyncRequest, maxEvents: number = RECORD_LIMITS.syncMaxEvents): Promise<SyncResult> {
  await loadWorkspace(ctx.db, req.workspaceId, account, 'read');
  const head = await recordStore.head(ctx.db, req.workspaceId);
  // Ahead of the server (a restored database, another deployment): only a snapshot is safe.
  if (req.sinceSeq > head || head - req.sinceSeq > maxEvents) return snapshot(ctx, account, req.workspaceId, head);
  const loaded = await recordStore.since(ctx.db, req.workspaceId, req.sinceSeq, head, maxEvents);
  const events = loaded.filter((l) => visibleTo(account.team.id, l.audience)).map((l) => l.event);
  return { snapshot: false, seq: head, events };
}

async function snapshot(ctx: Pick<AppContext, 'db'>, account: Account, workspaceId: string, seq: number): Promise<SyncResult> {
  const records: Record<string, unknown[]> = {};
  for (const [name, provider] of Object.entries(SNAPSHOTS)) records[name] = await provider(ctx.db, workspaceId, account.team.id);
  return { snapshot: true, seq, records };
}

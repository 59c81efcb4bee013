/**
 * Connects the board to the record plane for one workspace: the store (projection) and its
 * RecordClient (lib/records/useRecordClient: sync on every reconnect, outbox replayed with the
 * commands' ids, the pending count for the header's "N changes waiting").
 */
import { useMemo, useSyncExternalStore } from 'react';
import type { Account, CommandAck, IndicatorView } from '@huntroom/shared';
import { useRecordClient } from '../../lib/records/useRecordClient.js';
import { IndicatorStore } from './store.js';

export interface Board {
  store: IndicatorStore;
  version: number;
  /** Every row the team may see; a new array on every change (the input of derived views). */
  rows: readonly IndicatorView[];
  pending: number;
  command: <T = unknown>(type: string, payload: Record<string, unknown>) => Promise<CommandAck<T>>;
}

export function useIndicatorBoard(workspaceId: string, account: Account): Board {
  // Another workspace starts from an empty store: workspaceId is the memo's key, not an input.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const store = useMemo(() => new IndicatorStore(account.team.id), [workspaceId, account.team.id]);
  const version = useSyncExternalStore(store.subscribe, store.getVersion);
  const rows = useSyncExternalStore(store.subscribe, store.getRows);
  const { pending, command } = useRecordClient(workspaceId, account, store);
  return { store, version, rows, pending, command };
}

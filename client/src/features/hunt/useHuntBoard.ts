/** The hunt screens' store on the record plane (one RecordClient for the whole area, its own outbox). */
import { createContext, useContext, useMemo, useSyncExternalStore } from 'react';
import type { Account } from '@huntroom/shared';
import { useRecordClient, type RecordHandle } from '../../lib/records/useRecordClient.js';
import { HUNT_EVENTS, HuntStore } from './store.js';

export interface HuntBoard extends RecordHandle {
  store: HuntStore;
  version: number;
}

export function useHuntBoard(workspaceId: string, account: Account): HuntBoard {
  // Another workspace starts from an empty store: workspaceId is the memo's key, not an input.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const store = useMemo(() => new HuntStore(account.team.id), [workspaceId, account.team.id]);
  const version = useSyncExternalStore(store.subscribe, store.getVersion);
  const handle = useRecordClient(workspaceId, account, store, HUNT_EVENTS, 'hunt');
  return { ...handle, store, version };
}

export const HuntContext = createContext<HuntBoard | null>(null);

export function useHunt(): HuntBoard {
  const board = useContext(HuntContext);
  if (!board) throw new Error('useHunt outside the hunt area');
  return board;
}

/** The items of one kind, a new array on each change of the store (the input of memos). */
export function useHuntList<K extends 'network' | 'host' | 'finding' | 'timeline'>(kind: K) {
  const { store } = useHunt();
  return useSyncExternalStore(store.subscribe, () => store.list(kind));
}

/**
 * Connects the board to the record plane for one workspace: the store (projection), the RecordClient
 * (sync on every reconnect, outbox of commands replayed with their ids), and the pending count for the
 * header's "N changes waiting".
 */
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { Account, CommandAck, IndicatorView } from '@huntroom/shared';
import { getSocket } from '../../lib/realtime.js';
import { connection } from '../../lib/connection.js';
import { RecordClient, IdbOutboxStore, MemoryOutboxStore, hasIndexedDb } from '../../lib/records/index.js';
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
  const [client, setClient] = useState<RecordClient>();
  const [pending, setPending] = useState(0);
  const version = useSyncExternalStore(store.subscribe, store.getVersion);
  const rows = useSyncExternalStore(store.subscribe, store.getRows);

  useEffect(() => {
    const outboxStore = hasIndexedDb() ? new IdbOutboxStore(`huntroom:outbox:${account.id}:${workspaceId}`) : new MemoryOutboxStore();
    const rc = new RecordClient({ socket: getSocket(), workspaceId, projection: store, store: outboxStore });
    const off = rc.outbox.subscribe((n) => {
      setPending(n);
      connection.setPending('records', n);
    });
    void rc.start();
    setClient(rc);
    return () => {
      off();
      rc.dispose();
      connection.setPending('records', 0);
    };
  }, [workspaceId, account.id, store]);

  return {
    store,
    version,
    rows,
    pending,
    command: (type, payload) => (client ? client.command(type, payload) : Promise.resolve({ ok: false, error: { code: 'unavailable', message: 'not connected yet' } })),
  };
}

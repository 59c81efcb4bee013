/**
 * Connects the board to the record plane for one workspace: the store (projection), the RecordClient
 * (sync on every reconnect, outbox of commands replayed with their ids), and the pending count for the
 * header's "N changes waiting".
 */
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { Account, CommandAck } from '@huntroom/shared';
import { getSocket } from '../../lib/realtime.js';
import { connection } from '../../lib/connection.js';
import { RecordClient, IdbOutboxStore, MemoryOutboxStore, hasIndexedDb } from '../../lib/records/index.js';
import { IndicatorStore } from './store.js';

export interface Board {
  store: IndicatorStore;
  version: number;
  pending: number;
  command: <T = unknown>(type: string, payload: Record<string, unknown>) => Promise<CommandAck<T>>;
}

export function useIndicatorBoard(workspaceId: string, account: Account): Board {
  const store = useMemo(() => new IndicatorStore(account.team.id), [workspaceId, account.team.id]);
  const [client, setClient] = useState<RecordClient>();
  const [pending, setPending] = useState(0);
  const version = useSyncExternalStore(store.subscribe, store.getVersion);

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
    pending,
    command: (type, payload) => (client ? client.command(type, payload) : Promise.resolve({ ok: false, error: { code: 'unavailable', message: 'not connected yet' } })),
  };
}

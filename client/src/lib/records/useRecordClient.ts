/**
 * One RecordClient for a page's projection: sync on every reconnect, the outbox of commands replayed
 * with their ids (kept in IndexedDB when there is one), and the pending count for the header's
 * "N changes waiting". The indicator board and the hunt screens each hold one over their own events.
 */
import { useEffect, useState } from 'react';
import type { Account, CommandAck } from '@huntroom/shared';
import { getSocket } from '../realtime.js';
import { connection } from '../connection.js';
import { RecordClient, RECORD_EVENTS } from './recordClient.js';
import { IdbOutboxStore, hasIndexedDb } from './idbStore.js';
import { MemoryOutboxStore } from './outbox.js';
import type { Projection } from './sync.js';

export interface RecordHandle {
  pending: number;
  command: <T = unknown>(type: string, payload: Record<string, unknown>) => Promise<CommandAck<T>>;
}

/** `name` keeps each page's outbox apart (the indicator board's predates it and has none). */
export function useRecordClient(workspaceId: string, account: Account, projection: Projection, events: readonly string[] = RECORD_EVENTS, name = ''): RecordHandle {
  const [client, setClient] = useState<RecordClient>();
  const [pending, setPending] = useState(0);
  const source = `records${name ? `:${name}` : ''}`;

  useEffect(() => {
    const key = `huntroom:outbox:${account.id}:${workspaceId}${name ? `:${name}` : ''}`;
    const outboxStore = hasIndexedDb() ? new IdbOutboxStore(key) : new MemoryOutboxStore();
    const rc = new RecordClient({ socket: getSocket(), workspaceId, projection, store: outboxStore, events });
    const off = rc.outbox.subscribe((n) => {
      setPending(n);
      connection.setPending(source, n);
    });
    // A change the server cannot do yet (its item's home instance unreachable): kept, resent by itself.
    const offHeld = rc.outbox.onHeld((reason) => connection.setHeld(source, reason));
    void rc.start();
    setClient(rc);
    return () => {
      off();
      offHeld();
      rc.dispose();
      connection.setPending(source, 0);
      connection.setHeld(source, undefined);
    };
  }, [workspaceId, account.id, projection, events, name, source]);

  return {
    pending,
    command: (type, payload) => (client ? client.command(type, payload) : Promise.resolve({ ok: false, error: { code: 'unavailable', message: 'not connected yet' } })),
  };
}

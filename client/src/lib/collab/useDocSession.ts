/**
 * Opens a document session for a component's lifetime and follows its status; reports waiting changes
 * to the header's connection indicator under the key `doc:<docId>`.
 */
import { useEffect, useReducer, useState } from 'react';
import type { Account } from '@huntroom/shared';
import { connection } from '../connection.js';
import { openDocSession, type DocSession } from './docSession.js';
import { initialDocStatus, reduceDocStatus } from './docStatus.js';

export function useDocSession(docId: string, account: Account) {
  const [session, setSession] = useState<DocSession>();
  const [status, dispatch] = useReducer(reduceDocStatus, initialDocStatus);

  useEffect(() => {
    const s = openDocSession(docId, account);
    dispatch({ type: 'opened' });
    const onStatus = ({ status: st }: { status: string }) => dispatch({ type: 'status', connected: st === 'connected' });
    const onSync = (isSynced: boolean) => isSynced && dispatch({ type: 'synced' });
    // This device's copy read: the document can be worked on before the server answers, if it held any.
    const onLocalCopy = () => dispatch({ type: 'localCopy', content: s.doc.store.clients.size > 0 });
    // 4400-4499: the server closed for good (y-websocket will not reconnect); keep its reason to show.
    const onClose = (e: CloseEvent | null) => {
      if (e && e.code >= 4400 && e.code < 4500) dispatch({ type: 'closed', reason: e.reason || 'closed by the server' });
    };
    const onUpdate = (_u: Uint8Array, origin: unknown) => {
      // Changes from the server or from IndexedDB are not ours to deliver.
      if (origin !== s.provider && origin !== s.local) dispatch({ type: 'localChange' });
    };
    // When the browser knows it is offline, say so at once instead of after y-websocket's 30 s
    // silence timeout; edits keep going to IndexedDB and are sent when the network is back.
    // y-websocket reports a disconnection only of a connection it had: a document opened offline would
    // say "syncing" for ever, so the state is set here too.
    const goOffline = () => {
      s.provider.disconnect();
      dispatch({ type: 'status', connected: false });
    };
    const goOnline = () => s.provider.connect();
    window.addEventListener('offline', goOffline);
    window.addEventListener('online', goOnline);
    s.provider.on('status', onStatus);
    s.provider.on('sync', onSync);
    s.provider.on('connection-close', onClose);
    s.doc.on('update', onUpdate);
    s.local?.on('synced', onLocalCopy);
    if (s.local?.synced) onLocalCopy();
    // Opened while the browser says it is offline: shown at once. y-websocket keeps trying (a browser
    // may say offline on a network it cannot judge, and the connection then still opens).
    if (!navigator.onLine) dispatch({ type: 'status', connected: false });
    setSession(s);
    return () => {
      window.removeEventListener('offline', goOffline);
      window.removeEventListener('online', goOnline);
      s.provider.off('status', onStatus);
      s.provider.off('sync', onSync);
      s.provider.off('connection-close', onClose);
      s.doc.off('update', onUpdate);
      s.local?.off('synced', onLocalCopy);
      s.destroy();
      connection.setPending(`doc:${docId}`, 0);
    };
  }, [docId, account]);

  useEffect(() => {
    connection.setPending(`doc:${docId}`, status.waiting);
    connection.setSyncing(`doc:${docId}`, status.link === 'syncing');
    return () => connection.setSyncing(`doc:${docId}`, false);
  }, [docId, status]);

  return { session, status };
}

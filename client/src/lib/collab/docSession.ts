/**
 * One open Yjs document: a Y.Doc, y-indexeddb so edits made offline survive a reload and merge on
 * reconnect, and y-websocket's WebsocketProvider against our server at /yjs/<docId> (the session cookie
 * authenticates the upgrade). The awareness carries who we are, for carets and the "who is here" row.
 */
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';
import type { Account } from '@huntroom/shared';
import { YJS_PATH_PREFIX } from '@huntroom/shared';

export interface PresenceUser {
  name: string;
  color: string;
  team: string;
  username: string;
}

export interface DocSession {
  docId: string;
  doc: Y.Doc;
  provider: WebsocketProvider;
  local: IndexeddbPersistence | undefined;
  destroy: () => void;
}

/** ws(s)://<host>/yjs, the same origin as the page. */
export function collabUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}${YJS_PATH_PREFIX.replace(/\/$/, '')}`;
}

export function presenceOf(account: Account): PresenceUser {
  return { name: account.displayName, username: account.username, color: account.team.color, team: account.team.code };
}

export function openDocSession(docId: string, account: Account): DocSession {
  const doc = new Y.Doc();
  // IndexedDB may be unavailable (private windows); the document still works online.
  const local = typeof indexedDB === 'undefined' ? undefined : new IndexeddbPersistence(`huntroom:${account.id}:${docId}`, doc);
  const provider = new WebsocketProvider(collabUrl(), docId, doc, { maxBackoffTime: 5_000 });
  provider.awareness.setLocalStateField('user', presenceOf(account));
  return {
    docId,
    doc,
    provider,
    local,
    destroy() {
      provider.destroy();
      void local?.destroy();
      doc.destroy();
    },
  };
}

/**
 * Restoring a named version as a new change: the live document's note fragment is emptied and filled
 * with copies of the version's content in one transaction. That transaction is an ordinary Yjs
 * update, so it takes the same path as anyone's typing (update log first, then every connected
 * client), keeps the history of what was there, and merges with concurrent edits like any other edit.
 */
import * as Y from 'yjs';
import { NOTE_FRAGMENT, type Account } from '@huntroom/shared';

/** Origin of the restore transaction: not a connection, so it is relayed to every peer. */
export const RESTORE_ORIGIN = 'huntroom:restore-version';

/**
 * `by`: who restored it. It rides the transaction's origin (`{account}`, as a connection's does), so the
 * change reaches peer instances with its author, who authorize it as that user's (federation/documents).
 */
export function replaceFragment(live: Y.Doc, version: Uint8Array, fragmentName = NOTE_FRAGMENT, by?: Account): void {
  const source = new Y.Doc();
  Y.applyUpdate(source, version);
  const from = source.getXmlFragment(fragmentName);
  // clone() copies an element with its attributes and children, or a text with its formatting.
  // (XmlHook clones insert fine at runtime; yjs's typing of insert() just does not list them.)
  const copies = from.toArray().map((node) => node.clone()) as (Y.XmlElement | Y.XmlText)[];
  const to = live.getXmlFragment(fragmentName);
  live.transact(
    () => {
      if (to.length) to.delete(0, to.length);
      if (copies.length) to.insert(0, copies);
    },
    by ? { restore: RESTORE_ORIGIN, account: by } : RESTORE_ORIGIN,
  );
  source.destroy();
}

/**
 * What of the presenter's view may reach the room. The view is a location, not content, and each
 * follower loads it with their own access; but an item id is itself a fact (that an indicator exists),
 * so it is passed on only when the recipient team may see that item. Paths are the presenter's to
 * choose inside the workspace: a follower opening a note not released to them gets a 404 (as for a missing one).
 */
import { canSee, type HandoffView } from '@huntroom/shared';
import type { Db } from '../storage/db.js';
import { indicatorStore, markedItem } from '../indicators/store.js';
import type { StoredSession } from './store.js';

const TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/;

export async function viewForRecipient(db: Db, session: StoredSession, view: HandoffView): Promise<HandoffView> {
  const { item, ...location } = view;
  if (item === undefined) return location;
  const area = view.path.slice(`/w/${session.workspaceId}`.length).split('/')[1];
  // ATT&CK techniques are public knowledge; an indicator must be releasable to the recipient.
  if (area === 'attack' && TECHNIQUE_ID.test(item)) return view;
  if (area === 'indicators') {
    const row = await indicatorStore.get(db, session.workspaceId, item);
    if (row && canSee(session.recipientTeamId, markedItem(row))) return view;
  }
  return location;
}

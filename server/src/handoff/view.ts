/**
 * What of the presenter's view may reach the room. The view is a location, not content, and each
 * follower loads it with their own access; but an item id is itself a fact (that an indicator exists),
 * so it is passed on only when the recipient team may see that item. Paths are the presenter's to
 * choose inside the workspace: a follower opening a note not released to them gets a 404 (as for a missing one).
 *
 * The hunt screens (/hunt, /hunt/n/:networkId[/coverage], /hunt/timeline) put a network's id in the
 * path and a host's in the open item. A network the recipient may not see is not named to the room: the
 * path falls back to the networks list (/hunt), and the open item goes only when it is a hunt item the
 * recipient may see.
 */
import { canSee, type HandoffView, type MarkedItem } from '@huntroom/shared';
import type { Db } from '../storage/db.js';
import { indicatorStore, markedItem } from '../indicators/store.js';
import { networkStore } from '../hunt/networks/store.js';
import { hostStore } from '../hunt/hosts/store.js';
import { findingStore } from '../hunt/findings/store.js';
import { timelineStore } from '../hunt/timeline/store.js';
import type { StoredSession } from './store.js';

const TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/;

/** The hunt item with this id (any of the kinds a hunt screen opens), or undefined. */
async function huntItem(db: Db, workspaceId: string, id: string): Promise<MarkedItem | undefined> {
  for (const store of [hostStore, findingStore, timelineStore, networkStore]) {
    const row = await store.get(db, workspaceId, id);
    if (row) return markedItem(row);
  }
  return undefined;
}

export async function viewForRecipient(db: Db, session: StoredSession, view: HandoffView): Promise<HandoffView> {
  const base = `/w/${session.workspaceId}`;
  const segments = view.path.slice(base.length).split('/');
  const area = segments[1];
  const released = (m: MarkedItem | undefined) => !!m && canSee(session.recipientTeamId, m);
  if (area === 'hunt') {
    // /hunt/n/:networkId/...: the network must be releasable for its id (and anything under it) to go.
    if (segments[2] === 'n' && segments[3]) {
      const network = await networkStore.get(db, session.workspaceId, segments[3]);
      if (!network || !released(markedItem(network))) return { path: `${base}/hunt`, scroll: 0 };
    }
    const { item, ...location } = view;
    return item !== undefined && released(await huntItem(db, session.workspaceId, item)) ? view : location;
  }
  const { item, ...location } = view;
  if (item === undefined) return location;
  // ATT&CK techniques are public knowledge; an indicator must be releasable to the recipient.
  if (area === 'attack' && TECHNIQUE_ID.test(item)) return view;
  if (area === 'indicators') {
    const row = await indicatorStore.get(db, session.workspaceId, item);
    if (row && canSee(session.recipientTeamId, markedItem(row))) return view;
  }
  return location;
}

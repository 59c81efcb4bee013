/**
 * What the user needs to know about an open document: is it live, catching up, or offline, and how
 * many of their changes have not reached the server yet. y-websocket has no acknowledgements, so a
 * local change counts as waiting when it was made while disconnected, and stops waiting when the
 * provider has synced again (its answer to the server's sync step 1 carries every missing change).
 */
export type DocLink = 'synced' | 'syncing' | 'offline';

export interface DocStatus {
  link: DocLink;
  waiting: number;
  /**
   * Why the server closed the document for good (a 44xx close: access lost, or a change refused such
   * as another team's ATT&CK mark); y-websocket does not reconnect then, so the page says why.
   */
  closed?: string;
  /**
   * The document holds its content: the server's (a first sync) or this device's copy (IndexedDB held
   * some). Until then a note's editor is read only: typing into the empty document of a note not yet
   * loaded puts the text where Yjs places an insert concurrent with the whole note (after its last
   * paragraph, far from where it was typed), and the server scans every paragraph of the note to
   * place it (Yjs' conflict resolution: 3 ms at 5,000 paragraphs, 35 ms at 20,000).
   */
  loaded: boolean;
}

export type DocEvent =
  | { type: 'status'; connected: boolean }
  | { type: 'synced' }
  | { type: 'localChange' }
  | { type: 'closed'; reason: string }
  /** This device's copy was read: `content` when it held any of the document. */
  | { type: 'localCopy'; content: boolean }
  /** Another document opened in the same place (a note page follows the address): start again. */
  | { type: 'opened' };

export const initialDocStatus: DocStatus = { link: 'syncing', waiting: 0, loaded: false };

export function reduceDocStatus(s: DocStatus, e: DocEvent): DocStatus {
  switch (e.type) {
    case 'status': {
      if (!e.connected) return { ...s, link: 'offline' };
      const { closed: _closed, ...open } = s;
      return { ...open, link: 'syncing' };
    }
    case 'closed':
      return { ...s, link: 'offline', closed: e.reason };
    case 'synced':
      return s.link === 'offline' ? { ...s, loaded: true } : { link: 'synced', waiting: 0, loaded: true };
    case 'opened':
      return initialDocStatus;
    case 'localCopy':
      return e.content && !s.loaded ? { ...s, loaded: true } : s;
    case 'localChange':
      return s.link === 'synced' ? s : { ...s, waiting: s.waiting + 1 };
  }
}

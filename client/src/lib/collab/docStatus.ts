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
}

export type DocEvent = { type: 'status'; connected: boolean } | { type: 'synced' } | { type: 'localChange' } | { type: 'closed'; reason: string };

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
      return s.link === 'offline' ? s : { link: 'synced', waiting: 0 };
    case 'localChange':
      return s.link === 'synced' ? s : { ...s, waiting: s.waiting + 1 };
  }
}

export const initialDocStatus: DocStatus = { link: 'syncing', waiting: 0 };

/**
 * Close codes of the Yjs document socket (`/yjs/<docId>`), shared so the client can tell people why
 * a document closed. y-websocket (v3) does not reconnect on 4400-4499 (a deliberate decision that a
 * retry cannot fix, mirroring HTTP 4xx) and does reconnect, with backoff, on every other code,
 * including 4500-4599 ("try again later"). Codes are chosen by that rule. Refusals before the socket
 * opens (no session, no access) are HTTP statuses on the upgrade, not close codes.
 */
export const CLOSE_CODES = {
  /** Normal RFC 6455 "service restart": the node is shutting down; reconnect (to it or another node). */
  serverRestarting: 1012,
  /** Set by `ws` itself when a frame exceeds the maximum payload (RFC 6455 1009 "message too big"). */
  messageTooBig: 1009,
  /** The server could not persist an update, so it relayed nothing; reconnect and resend. */
  internalError: 1011,
  /** Undecodable message or Yjs update. A retry would send the same bytes again: do not reconnect. */
  badMessage: 4400,
  /**
   * Access lost while connected (removed from the workspace, marking narrowed), or an update the
   * account may not make (another team's ATT&CK marks): refused as a whole, nothing of it applied.
   */
  forbidden: 4403,
  /** The document was deleted while connected. */
  documentGone: 4404,
  /** Accepting the update would take the document past its maximum size. */
  documentTooLarge: 4413,
  /** Too many messages, or too much server CPU spent on this connection's updates: back off and retry. */
  rateLimited: 4529,
  /** The account's role in the workspace changed while connected: reconnect to get the new rights. */
  accessChanged: 4509,
  /** The peer stopped answering pings (only seen in server logs: the socket is terminated, not closed). */
  heartbeatTimeout: 4508,
} as const;

export type CloseCode = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES];

/** Path prefix of the document socket: `/yjs/<docId>`. */
export const YJS_PATH_PREFIX = '/yjs/';

/**
 * Name of the XmlFragment that holds a note's rich text. TipTap's Collaboration extension uses
 * `default` unless told otherwise; server (version restore) and client must agree on it.
 */
export const NOTE_FRAGMENT = 'default';

/**
 * Dispatch of one incoming y-websocket message (Hocuspocus's MessageReceiver). This is where the
 * read-only rule lives: an observer's sync step 2 and updates are dropped, never applied, stored or
 * relayed (the known bypass of y-websocket style servers is a read-only client sending step 2), while
 * its step 1 is answered and its awareness let through. Awareness is taken only for the client ids a
 * connection introduced, stamped with its session's name and team (presence.ts); a flood closes the
 * socket. Updates pass the document kind's write guard (writeGuard.ts), go through applyUntrusted and are
 * timed against the peer's CPU budget, large ones after a trial in a worker (trial.ts), so one
 * client's bytes can neither crash the process, stall it, nor poison the document; every failure
 * closes that one socket.
 */
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import { CLOSE_CODES } from '@huntroom/shared';
import type { Connection } from './Connection.js';
import type { LiveDocument } from './LiveDocument.js';
import { applyUntrusted } from './untrustedUpdate.js';
import { vetAwareness } from './presence.js';
import { trialIntegration } from './trial.js';
import { fullSyncFrames, syncAnswerFrames } from './fullSync.js';
import { MESSAGE_AUTH, MESSAGE_AWARENESS, MESSAGE_QUERY_AWARENESS, MESSAGE_SYNC, SYNC_STEP1, SYNC_STEP2, SYNC_UPDATE, awarenessMessage } from './messages.js';

export function receiveMessage(conn: Connection, doc: LiveDocument, message: Uint8Array): void {
  let type: number;
  let sub = -1;
  let payload: Uint8Array;
  try {
    const d = decoding.createDecoder(message);
    type = decoding.readVarUint(d);
    if (type === MESSAGE_SYNC) sub = decoding.readVarUint(d);
    payload = type === MESSAGE_SYNC || type === MESSAGE_AWARENESS ? decoding.readVarUint8Array(d) : new Uint8Array();
  } catch {
    return conn.close(CLOSE_CODES.badMessage, 'malformed message');
  }
  switch (type) {
    case MESSAGE_SYNC:
      if (!conn.updates.take()) return conn.close(CLOSE_CODES.rateLimited, 'too many updates; slow down');
      if (sub === SYNC_STEP1) return answerStep1(conn, doc, payload);
      if (sub === SYNC_STEP2 || sub === SYNC_UPDATE) {
        if (conn.readOnly) {
          conn.droppedWrites++;
          return;
        }
        return applyUpdate(conn, doc, payload);
      }
      return conn.close(CLOSE_CODES.badMessage, 'unknown sync message');
    case MESSAGE_AWARENESS:
      if (!withinAwarenessLimits(conn, payload.byteLength)) return;
      return applyAwareness(conn, doc, payload);
    case MESSAGE_QUERY_AWARENESS:
      if (!withinAwarenessLimits(conn, 0) || !conn.awarenessRate.take()) return;
      return conn.send(awarenessMessage(doc.awareness, [...doc.awareness.getStates().keys()]));
    case MESSAGE_AUTH:
      // Server-to-client only in y-protocols; a client sending one is ignored (but counted).
      return void withinAwarenessLimits(conn, 0);
    default:
      return conn.close(CLOSE_CODES.badMessage, 'unknown message type');
  }
}

function answerStep1(conn: Connection, doc: LiveDocument, stateVector: Uint8Array): void {
  let valid = true;
  try {
    Y.decodeStateVector(stateVector);
  } catch {
    valid = false;
  }
  if (!valid) return conn.close(CLOSE_CODES.badMessage, 'malformed state vector');
  // Answer from committed state only: nothing a crash could lose leaves the server (LiveDocument).
  // Checked again when the wait ends: an update integrated in the same microtask run may be pending.
  const answer = (): void => {
    if (conn.closed || doc.isFailed) return;
    if (!doc.isPersisted) return void doc.whenPersisted().then(answer);
    // Frames shared by the clients of a reconnect storm (fullSync.ts): for a client with nothing (a new
    // tab) and for clients holding the same state (dropped together).
    const empty = stateVector.byteLength === 1 && stateVector[0] === 0;
    for (const frame of empty ? fullSyncFrames(doc) : syncAnswerFrames(doc, stateVector)) conn.sendFrame(frame);
  };
  void doc.whenPersisted().then(answer);
}

function applyUpdate(conn: Connection, doc: LiveDocument, update: Uint8Array): void {
  const { options } = conn;
  if (doc.storedBytes + update.byteLength > options.maxDocumentBytes) {
    return conn.close(CLOSE_CODES.documentTooLarge, `document would exceed ${options.maxDocumentBytes} bytes`);
  }
  if (update.byteLength > options.trialAboveBytes) {
    // Trials of one account at once are few: more sockets must not mean more of the pool's threads.
    const ended = conn.shared.accounts.startTrial(conn.account.id, options.maxTrialsPerAccount);
    if (!ended) return conn.close(CLOSE_CODES.rateLimited, 'too many large updates at once; slow down');
    conn.hold(
      trialIntegration(conn.shared.workers, doc.doc, update, options.trialBudgetMs, (ms) => conn.chargeCpu(ms))
        .then((verdict) => {
          if (conn.closed) return;
          if (verdict === 'malformed') return conn.close(CLOSE_CODES.badMessage, 'malformed Yjs update');
          if (verdict === 'too-slow') return conn.close(CLOSE_CODES.rateLimited, 'update too expensive to integrate');
          if (verdict === 'over-budget') return conn.close(CLOSE_CODES.rateLimited, 'updates cost too much server time; slow down');
          if (verdict === 'busy') return conn.close(CLOSE_CODES.rateLimited, 'the server is busy; try again shortly');
          integrate(conn, doc, update);
        })
        .finally(ended),
    );
    return;
  }
  integrate(conn, doc, update);
}

/** Applies an update to the live document, timed against the peer's CPU budget. */
function integrate(conn: Connection, doc: LiveDocument, update: Uint8Array): void {
  const { options } = conn;
  const started = performance.now();
  // The kind's own write rules (the ATT&CK board: a team's marks are that team's), before anything
  // of the update touches the live document; a refusal refuses the whole update.
  const verdict = doc.guard?.vet(update, conn);
  if (verdict && !verdict.ok) {
    if (!verdict.malformed) conn.log.info({ conn: conn.id, account: conn.account.username, docId: doc.id, reason: verdict.reason }, 'collab write refused');
    return conn.close(verdict.malformed ? CLOSE_CODES.badMessage : CLOSE_CODES.forbidden, verdict.reason);
  }
  const result = applyUntrusted(doc.doc, update, conn, options.maxPendingBytes);
  if (result === 'malformed') return conn.close(CLOSE_CODES.badMessage, 'malformed Yjs update');
  if (result === 'failed') return conn.close(CLOSE_CODES.badMessage, 'Yjs update could not be applied');
  if (result === 'pending-overflow') return conn.close(CLOSE_CODES.badMessage, 'update depends on content that does not exist');
  if (!conn.chargeCpu(performance.now() - started)) {
    return conn.close(CLOSE_CODES.rateLimited, 'updates cost too much server time; slow down');
  }
}

/**
 * Presence traffic past what any honest client sends (including y-websocket's echo of every state
 * it receives) is abuse, cut off like an update flood: the socket is closed with 4529. False then.
 */
function withinAwarenessLimits(conn: Connection, bytes: number): boolean {
  if (conn.awarenessCutoff.take() && conn.awarenessBytes.take(bytes)) return true;
  conn.close(CLOSE_CODES.rateLimited, 'too much presence traffic; slow down');
  return false;
}

function applyAwareness(conn: Connection, doc: LiveDocument, update: Uint8Array): void {
  // Awareness is lossy by design (clients resend every 15 s): an over-size message is dropped unread.
  if (update.byteLength > conn.options.maxAwarenessBytes) return;
  // Only this connection's own client ids, stamped with its user (presence.ts).
  const own = vetAwareness(conn, doc, update);
  if (own === 'malformed') return conn.close(CLOSE_CODES.badMessage, 'malformed awareness update');
  // Over the rate, own states are dropped; echoes of others' states never count against it.
  if (!own || !conn.awarenessRate.take()) return;
  try {
    awarenessProtocol.applyAwarenessUpdate(doc.awareness, own, conn);
  } catch {
    conn.close(CLOSE_CODES.badMessage, 'malformed awareness update');
  }
}

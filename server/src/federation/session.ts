/**
 * One authenticated link session: the handshake from either end (docs/federation.md section 4). The
 * side whose instance name sorts first dials; the other accepts. Both prove they hold the key the other
 * operator installed, over fresh nonces, before any other frame is read.
 */
import { WebSocket } from 'ws';
import type { z } from 'zod';
import type { Db } from '../storage/db.js';
import { checkProof, newNonce, prove } from './handshake.js';
import { challengeFrame, FEDERATION_PATH, HANDSHAKE_TIMEOUT_MS, helloFrame, LINK_CLOSE, MAX_FRAME_BYTES, parseFrame, proofFrame, welcomeFrame } from './protocol.js';
import { federationStore, type Identity, type Link } from './store.js';

export interface LinkSession {
  link: Link;
  ws: WebSocket;
  /**
   * Frames that arrived after the handshake's last frame, before the session's owner took the socket.
   * ws emits every frame of one TCP read synchronously, so a peer's first frame can come in the same
   * read as its handshake answer: it is kept here, not lost. `take()` stops buffering and returns them.
   */
  take(): { data: Buffer; isBinary: boolean }[];
}

/** Starts buffering the socket's frames at once (synchronously, inside the handshake's last frame). */
function buffering(ws: WebSocket): () => { data: Buffer; isBinary: boolean }[] {
  const early: { data: Buffer; isBinary: boolean }[] = [];
  const keep = (data: Buffer, isBinary: boolean) => early.push({ data, isBinary });
  ws.on('message', keep);
  return () => {
    ws.off('message', keep);
    return early;
  };
}

/** A handshake that failed: the close code and the reason both sides see. */
export class LinkRefused extends Error {
  /** The link the peer named in its hello, when it got that far (the accepting side records the failure on it). */
  peer: string | undefined;

  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** The next frame, parsed; a refusal when the socket closes, the frame is not `schema`, or time runs out. */
function nextFrame<S extends z.ZodType>(ws: WebSocket, schema: S, timeoutMs = HANDSHAKE_TIMEOUT_MS, onFrame?: () => void): Promise<z.infer<S>> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      ws.off('message', onMessage);
      ws.off('close', onClose);
    };
    const onMessage = (data: unknown) => {
      done();
      onFrame?.();
      const frame = parseFrame(schema, data);
      if (frame === undefined) reject(new LinkRefused(LINK_CLOSE.protocol, 'unexpected frame in the handshake'));
      else resolve(frame);
    };
    const onClose = (code: number, reason: Buffer) => {
      done();
      reject(new LinkRefused(code, reason.toString() || `closed (${code})`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new LinkRefused(LINK_CLOSE.timeout, 'the handshake took too long'));
    }, timeoutMs);
    ws.on('message', onMessage);
    ws.on('close', onClose);
  });
}

const send = (ws: WebSocket, frame: object) => ws.send(JSON.stringify(frame));

/** Closes with the refusal's code and reason (when we made it) and rethrows it for the caller to record. */
function fail(ws: WebSocket, err: unknown): never {
  const refusal = err instanceof LinkRefused ? err : new LinkRefused(LINK_CLOSE.protocol, (err as Error).message);
  // A close code we received (1000-4999) is not sent back; ours are 44xx.
  if (ws.readyState === WebSocket.OPEN && refusal.code >= 4400) ws.close(refusal.code, refusal.message.slice(0, 120));
  else if (ws.readyState !== WebSocket.CLOSED) ws.terminate();
  throw refusal;
}

/** The accepting side: the peer said who it is; prove ourselves to that link's key, then check its proof. */
export async function acceptLink(ws: WebSocket, db: Db): Promise<LinkSession> {
  let peer: string | undefined;
  try {
    const hello = await nextFrame(ws, helloFrame);
    peer = hello.from;
    const me = await federationStore.identity(db);
    const link = await federationStore.link(db, hello.from);
    // One answer for an unknown and a suspended link: an unauthenticated dialer learns no more.
    if (!me || !link || link.state !== 'active') throw new LinkRefused(LINK_CLOSE.refused, `no active link for ${hello.from} here`);
    const myNonce = newNonce();
    send(ws, { type: 'challenge', from: me.name, nonce: myNonce, proof: prove(me, link.name, hello.nonce, myNonce) });
    let take: (() => { data: Buffer; isBinary: boolean }[]) | undefined;
    const answer = await nextFrame(ws, proofFrame, HANDSHAKE_TIMEOUT_MS, () => (take = buffering(ws)));
    if (!checkProof(link, me.name, myNonce, hello.nonce, answer.proof)) throw new LinkRefused(LINK_CLOSE.badProof, `${link.name} did not prove it holds the key installed for it`);
    send(ws, { type: 'welcome' });
    return { link, ws, take: take! };
  } catch (err) {
    if (err instanceof LinkRefused) err.peer = peer;
    fail(ws, err);
  }
}

/** The dialing side: say who we are, check the peer's proof against the link's key, prove ourselves. */
export async function dialLink(link: Link, me: Identity): Promise<LinkSession> {
  const ws = new WebSocket(`${link.url}${FEDERATION_PATH}`, { maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false, handshakeTimeout: HANDSHAKE_TIMEOUT_MS });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', (err) => reject(new LinkRefused(LINK_CLOSE.goingAway, `cannot reach ${link.url}: ${err.message}`)));
  });
  ws.on('error', () => undefined); // later errors end in 'close', which the session's owner handles
  try {
    const myNonce = newNonce();
    send(ws, { type: 'hello', v: 1, from: me.name, nonce: myNonce });
    const challenge = await nextFrame(ws, challengeFrame);
    if (challenge.from !== link.name) throw new LinkRefused(LINK_CLOSE.protocol, `the peer at ${link.url} is ${challenge.from}, not ${link.name}`);
    if (!checkProof(link, me.name, myNonce, challenge.nonce, challenge.proof))
      throw new LinkRefused(LINK_CLOSE.badProof, `${link.name} did not prove it holds the key installed for it`);
    send(ws, { type: 'proof', proof: prove(me, link.name, challenge.nonce, myNonce) });
    let take: (() => { data: Buffer; isBinary: boolean }[]) | undefined;
    await nextFrame(ws, welcomeFrame, HANDSHAKE_TIMEOUT_MS, () => (take = buffering(ws)));
    return { link, ws, take: take! };
  } catch (err) {
    fail(ws, err);
  }
}

/**
 * The link's wire format, so far its handshake (docs/federation.md section 4). Every frame is JSON and
 * parsed with these schemas before anything reads it: a peer is an untrusted client like any other.
 */
import * as z from 'zod';

export const FEDERATION_PATH = '/federation/v1/link';
/** Frames are small control messages for now; record batches will raise this with their own limit. */
export const MAX_FRAME_BYTES = 1024 * 1024;
/** A peer that has not finished the handshake by then is dropped. */
export const HANDSHAKE_TIMEOUT_MS = 5_000;

export const LINK_CLOSE = {
  /** No link of that name here, the link is suspended, or this instance has no identity yet. */
  refused: 4403,
  /** A proof that does not verify with the installed key, or a frame that is not the protocol. */
  badProof: 4401,
  protocol: 4400,
  timeout: 4408,
  /** The operator suspended, removed or rotated the link while it was up. */
  linkChanged: 4409,
  /** Cluster mode: another node of the instance holds the link (federation/lease.ts). */
  elsewhere: 4410,
  /** The instance is stopping; the peer will dial again. */
  goingAway: 1001,
} as const;

const nonce = z.string().regex(/^[\w-]{43}$/);
const proof = z.string().regex(/^[\w-]{86}$/);
const name = z.string().max(40);

export const helloFrame = z.object({ type: z.literal('hello'), v: z.literal(1), from: name, nonce });
export const challengeFrame = z.object({ type: z.literal('challenge'), from: name, nonce, proof });
export const proofFrame = z.object({ type: z.literal('proof'), proof });
export const welcomeFrame = z.object({ type: z.literal('welcome') });

export function parseFrame<S extends z.ZodType>(schema: S, data: unknown): z.infer<S> | undefined {
  try {
    const r = schema.safeParse(JSON.parse(String(data)));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The document messages on a link (docs/federation.md section 5), parsed with these schemas before
 * anything reads them: the peer is an untrusted client like any other. Ids are shared across instances
 * (a replica has its home's document id), so nothing here is translated.
 */
import * as z from 'zod';
import { markingSchema, noteTitleSchema } from '@huntroom/shared';
import { remoteUserSchema } from '../accounts.js';

const id = z.string().min(8).max(64);
/** A Yjs update as base64; the link's frame limit bounds it further. */
const base64 = z
  .string()
  .max(2_000_000)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/);

/** Home to replica: a document that crosses (new, renamed, re-marked and still releasable). */
export const docMetaMessage = z.object({
  id,
  workspaceId: id,
  kind: z.enum(['note', 'whiteboard']),
  title: noteTitleSchema,
  marking: markingSchema,
  ownerTeamId: id,
  createdBy: id,
  createdAt: z.string().max(40),
});
export type DocMetaMessage = z.infer<typeof docMetaMessage>;

/**
 * Both ways: an update accepted at the sender. `author` is the user whose client made it; null for a
 * change the home made itself (a baseline, a restore), accepted only from the document's home.
 */
export const docUpdateMessage = z.object({ docId: id, update: base64, author: remoteUserSchema.nullable() });
export type DocUpdateMessage = z.infer<typeof docUpdateMessage>;

/** Home to replica: the document narrowed out of the link's sight (or was deleted): drop the replica. */
export const docRevokeMessage = z.object({ docId: id });

/**
 * Home to replica: the home refused an update the replica sent for this document (the author's role
 * at the home, a limit, bytes it could not take), so the replica drops what the home never accepted
 * (refused.ts). Carries the home's sentence.
 */
export const docRefusedMessage = z.object({ docId: id, reason: z.string().max(1000) });

/** Signal, both ways: presence (an awareness update of the sender's own clients). */
export const docAwarenessSignal = z.object({ docId: id, update: base64.max(200_000) });

export const toBase64 = (u: Uint8Array): string => Buffer.from(u.buffer, u.byteOffset, u.byteLength).toString('base64');
export const fromBase64 = (s: string): Uint8Array => {
  const b = Buffer.from(s, 'base64');
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
};

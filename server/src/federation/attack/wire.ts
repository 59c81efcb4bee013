/**
 * The ATT&CK board's messages on a link (docs/federation.md, "ATT&CK marks"). Marks cross as records,
 * keyed as on the board (`<techniqueId>|<teamCode>`): a team code is the same on both instances (a link
 * names the codes it speaks for, and a code is never both a local and a foreign team), so a key needs no
 * translation. Parsed with these schemas before anything reads them: the peer is untrusted.
 */
import * as z from 'zod';
import { markingSchema, markSchema } from '@huntroom/shared';
import { remoteUserSchema } from '../accounts.js';

export const MARKS_MESSAGE = 'attack.marks';
export const BOARD_MESSAGE = 'attack.board';
export const REVOKE_MESSAGE = 'attack.revoke';

const id = z.string().min(8).max(64);

/** A board key: a technique id and a team code, as shared/src/attack/marks.ts makes them. */
export const markKeySchema = z
  .string()
  .max(40)
  .regex(/^T\d{4}(\.\d{3})?\|[A-Z0-9_-]{1,12}$/, 'not a board key (<techniqueId>|<team>)');

/** One mark as it crosses: its key, and its value (null: the mark was cleared). No field beyond the contract's. */
export const wireMarkSchema = z.object({ key: markKeySchema, mark: markSchema.strict().nullable() });
export type WireMark = z.infer<typeof wireMarkSchema>;

/**
 * Both ways: marks that changed at their sender. `author` is the local user whose edit it was (null for
 * a change without one: a baseline, a layer import, a correction by the mark's home).
 */
export const marksMessageSchema = z.object({
  workspaceId: id,
  author: remoteUserSchema.nullable(),
  marks: z.array(wireMarkSchema).min(1).max(5_000),
  /** True when the home sends its current marks (a new share, a widening, a correction). */
  baseline: z.boolean().optional(),
  /**
   * Sent by the workspace's home only, beside a mark of the receiver's team: the home checked, in the
   * transaction that sent it, that `author` is an owner of the workspace there. The mark's home then
   * takes the edit as it takes a local owner's, if the link is the workspace's home link (incoming.ts).
   */
  authorIsOwner: z.literal(true).optional(),
});
export type MarksMessage = z.infer<typeof marksMessageSchema>;

/** Workspace home to replica: the board's marking, decided by the workspace's owners at its home. */
export const boardMessageSchema = z.object({ workspaceId: id, marking: markingSchema });

/** Workspace home to replica: the board narrowed out of the link's sight: drop the home's marks. */
export const revokeMessageSchema = z.object({ workspaceId: id });

/** The team code of a board key. */
export const keyTeam = (key: string): string => key.slice(key.lastIndexOf('|') + 1);

/**
 * Per-team marks on ATT&CK techniques: the contract of the ATT&CK board. A board is a Yjs document
 * whose Y.Map `marks` holds one entry per technique and team, keyed `<techniqueId>|<teamCode>`, so two
 * teams marking the same technique at once never overwrite each other.
 */
import * as z from 'zod';

export const MARK_STATUSES = ['observed', 'suspected', 'not-found'] as const;
export const markStatusSchema = z.enum(MARK_STATUSES);
export type MarkStatus = z.infer<typeof markStatusSchema>;

export const techniqueRefSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^T\d{4}(\.\d{3})?$/, 'use an ATT&CK technique id such as T1059 or T1059.001');

export const markSchema = z.object({
  techniqueId: techniqueRefSchema,
  team: z.string().trim().toUpperCase().min(1).max(12),
  status: markStatusSchema,
  score: z.number().int().min(0).max(100).optional(),
  comment: z.string().max(2_000).optional(),
});
export type Mark = z.infer<typeof markSchema>;

/** Name of the Y.Map that holds the marks in a board document. */
export const MARKS_MAP = 'marks';

export const markKey = (techniqueId: string, team: string): string => `${techniqueId}|${team}`;

import * as z from 'zod';
import { LIMITS } from '../limits.js';

export const teamCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9_-]*$/, 'use letters, digits, - and _ only, e.g. US or CERT-LV')
  .max(LIMITS.teamCodeMax);

export const colorSchema = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'use a colour like #1f77b4');

export const createTeamSchema = z.object({
  code: teamCodeSchema,
  name: z.string().trim().min(1).max(LIMITS.teamNameMax),
  color: colorSchema.optional(),
});
export type CreateTeamInput = z.infer<typeof createTeamSchema>;

export interface Team {
  id: string;
  code: string;
  name: string;
  color: string;
  /**
   * Set for a team of another instance (a federation link speaks for it): its users join a workspace
   * through a share with that instance, never by an invite or an account made here.
   */
  instance?: string;
}

import * as z from 'zod';
import { LIMITS } from '../limits.js';
import type { Team } from '../teams/schema.js';
import type { Authority } from '../authority/schema.js';

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(LIMITS.usernameMin)
  .max(LIMITS.usernameMax)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, ".", "-" and "_"');

export const passwordSchema = z.string().min(LIMITS.passwordMin, `use at least ${LIMITS.passwordMin} characters`).max(LIMITS.passwordMax);

export const loginSchema = z.object({
  username: usernameSchema,
  // Login does not enforce the length rules of new passwords: a wrong password is just wrong.
  password: z.string().min(1).max(LIMITS.passwordMax),
});
export type LoginInput = z.infer<typeof loginSchema>;

export const createTokenSchema = z.object({
  name: z.string().trim().min(1).max(LIMITS.tokenNameMax),
  expiresInDays: z.number().int().min(1).max(366).optional(),
});
export type CreateTokenInput = z.infer<typeof createTokenSchema>;

export interface Account {
  id: string;
  username: string;
  displayName: string;
  team: Team;
}

export interface MeResponse {
  account: Account;
  csrfToken: string | null;
  /** Site admin, the teams administered, whether workspaces may be created. */
  authority: Authority;
}

export interface AccessTokenInfo {
  id: string;
  name: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

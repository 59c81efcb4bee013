/**
 * The authority model beyond one workspace (docs/security.md): the operator (CLI, or an account the
 * CLI marks as site admin), team admins, and who may create workspaces.
 */
import * as z from 'zod';
import { LIMITS } from '../limits.js';
import { passwordSchema, usernameSchema } from '../auth/schema.js';

/** Who may create a workspace, as the operator decides. */
export const WORKSPACE_CREATORS = ['anyone', 'team-admins', 'site-admins'] as const;
export const workspaceCreatorsSchema = z.enum(WORKSPACE_CREATORS);
export type WorkspaceCreators = z.infer<typeof workspaceCreatorsSchema>;

export const siteSettingsSchema = z.object({ workspaceCreators: workspaceCreatorsSchema }).strict();
export type SiteSettings = z.infer<typeof siteSettingsSchema>;

/** What the caller may do beyond workspaces; the client shows or hides the admin screens by it. */
export interface Authority {
  siteAdmin: boolean;
  /** Codes of the teams the caller administers. */
  adminOf: string[];
  mayCreateWorkspaces: boolean;
}

export const teamAdminSchema = z.object({ username: usernameSchema }).strict();

/** A team admin (or the operator) creating an account in that team directly. */
export const createTeamAccountSchema = z
  .object({
    username: usernameSchema,
    displayName: z.string().trim().min(1).max(LIMITS.displayNameMax).optional(),
    password: passwordSchema,
  })
  .strict();
export type CreateTeamAccountInput = z.infer<typeof createTeamAccountSchema>;

export const inviteDecisionSchema = z.object({ decision: z.enum(['approve', 'refuse']) }).strict();

import * as z from 'zod';
import { LIMITS } from '../limits.js';
import { tlpLevelSchema, type TlpLevel } from '../markings/tlp.js';
import { usernameSchema, passwordSchema } from '../auth/schema.js';
import { teamCodeSchema, type Team } from '../teams/schema.js';

/** The roles an owner (or the CLI) may give. */
export const ROLES = ['owner', 'hunter', 'observer'] as const;
export const roleSchema = z.enum(ROLES);
export type AssignableRole = z.infer<typeof roleSchema>;
/**
 * Every role a membership can have. `guest` is a partner official in a live handoff: it reads like an
 * observer, is shown as a guest everywhere, and is only ever made by accepting a handoff's link; the
 * membership ends with that handoff session (docs/security.md).
 */
export const MEMBER_ROLES = [...ROLES, 'guest'] as const;
export type Role = (typeof MEMBER_ROLES)[number];

export const createWorkspaceSchema = z.object({
  name: z.string().trim().min(1, 'a workspace needs a name').max(LIMITS.workspaceNameMax),
  description: z.string().trim().max(LIMITS.workspaceDescriptionMax).optional(),
  defaultTlp: tlpLevelSchema.optional(),
});
export type CreateWorkspaceInput = z.infer<typeof createWorkspaceSchema>;

export const updateWorkspaceSchema = createWorkspaceSchema.partial();

/**
 * A member by name: a local username, or `name@instance` for a remote account (a user of a federation
 * peer, docs/federation.md section 2), which the workspace's home accepts within what its share allows.
 */
export const memberUsernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(LIMITS.usernameMin)
  .max(LIMITS.usernameMax + 41)
  .regex(/^[a-z0-9][a-z0-9._-]*(@[a-z0-9][a-z0-9-]{0,38}[a-z0-9])?$/, 'use lower-case letters, digits, ".", "-" and "_", or name@instance for a user of another instance');

export const addMemberSchema = z.object({ username: memberUsernameSchema, role: roleSchema });
export const updateMemberSchema = addMemberSchema;
export const removeMemberSchema = z.object({ username: memberUsernameSchema });

export const createInviteSchema = z.object({
  role: roleSchema,
  team: teamCodeSchema,
  expiresInHours: z.number().int().min(1).max(LIMITS.inviteMaxHours),
  maxUses: z.number().int().min(1).max(LIMITS.inviteMaxUses).optional(),
});
export type CreateInviteInput = z.infer<typeof createInviteSchema>;

/** Accepting while logged out creates the account; while logged in, no body is needed. */
export const acceptInviteSchema = z.object({
  username: usernameSchema.optional(),
  password: passwordSchema.optional(),
  displayName: z.string().trim().min(1).max(LIMITS.displayNameMax).optional(),
});
export type AcceptInviteInput = z.infer<typeof acceptInviteSchema>;

export interface Workspace {
  id: string;
  name: string;
  description: string;
  defaultTlp: TlpLevel;
  createdAt: string;
  /** The caller's role in it. */
  role: Role;
}

export interface Member {
  accountId: string;
  username: string;
  displayName: string;
  team: Team;
  role: Role;
  addedAt: string;
}

/**
 * `approved`: the link may create an account in its team. `pending`: it was made by someone who is not
 * an admin of that team, so it only admits existing accounts of the team until one of the team's admins
 * approves it; `refused`: they said no, and it can no longer be used.
 */
export const INVITE_APPROVALS = ['approved', 'pending', 'refused'] as const;
export type InviteApproval = (typeof INVITE_APPROVALS)[number];

export interface InviteCreated {
  token: string;
  url: string;
  expiresAt: string;
  approval: InviteApproval;
}

/** An invite as its workspace's owners (and, for pending ones, the target team's admins) see it. */
export interface InviteSummary {
  id: string;
  workspace: { id: string; name: string };
  role: Role;
  team: Team;
  createdBy: { username: string; displayName: string; team: Team };
  createdAt: string;
  expiresAt: string;
  maxUses: number;
  uses: number;
  approval: InviteApproval;
  decidedBy: string | null;
  decidedAt: string | null;
  revoked: boolean;
  /** Set for a handoff's guest link. */
  handoffId: string | null;
}

export interface InviteInfo {
  workspace: { id: string; name: string };
  role: Role;
  team: Team;
  expiresAt: string;
  usesLeft: number;
  approval: InviteApproval;
}

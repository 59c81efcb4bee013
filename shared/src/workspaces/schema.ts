import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { tlpLevelSchema, type TlpLevel } from '../markings/tlp.js';
import { usernameSchema, passwordSchema } from '../auth/schema.js';
import { teamCodeSchema, type Team } from '../teams/schema.js';

export const ROLES = ['owner', 'hunter', 'observer'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const createWorkspaceSchema = z.object({
  name: z.string().trim().min(1, 'a workspace needs a name').max(LIMITS.workspaceNameMax),
  description: z.string().trim().max(LIMITS.workspaceDescriptionMax).optional(),
  defaultTlp: tlpLevelSchema.optional(),
});
export type CreateWorkspaceInput = z.infer<typeof createWorkspaceSchema>;

export const updateWorkspaceSchema = createWorkspaceSchema.partial();

export const addMemberSchema = z.object({ username: usernameSchema, role: roleSchema });
export const updateMemberSchema = addMemberSchema;
export const removeMemberSchema = z.object({ username: usernameSchema });

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

export interface InviteCreated {
  token: string;
  url: string;
  expiresAt: string;
}

export interface InviteInfo {
  workspace: { id: string; name: string };
  role: Role;
  team: Team;
  expiresAt: string;
  usesLeft: number;
}

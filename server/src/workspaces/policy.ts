/**
 * Who may do what in a workspace, declared once and called from REST, socket.io and the document
 * server alike (Outline's `can()`, STYLE.md). Markings are decided separately, by `canSee` in shared/.
 */
import type { Role } from '@huntroom/shared';

export type WorkspaceAction = 'read' | 'write' | 'manage' | 'delete';

const RULES: Record<WorkspaceAction, readonly Role[]> = {
  read: ['owner', 'hunter', 'observer'],
  write: ['owner', 'hunter'],
  manage: ['owner'],
  delete: ['owner'],
};

export const can = (role: Role | undefined, action: WorkspaceAction): boolean => !!role && RULES[action].includes(role);

/**
 * Who may do what in a workspace, declared once and called from REST, socket.io and the document
 * server alike (Outline's `can()`, STYLE.md). Markings are decided separately, by `canSee` in shared/.
 */
import type { Role } from '@huntroom/shared';

export type WorkspaceAction = 'read' | 'write' | 'manage' | 'delete';

const RULES: Record<WorkspaceAction, readonly Role[]> = {
  // A guest (handoff partner official) reads like an observer, only while its session is live.
  read: ['owner', 'hunter', 'observer', 'guest'],
  write: ['owner', 'hunter'],
  manage: ['owner'],
  delete: ['owner'],
};

export const can = (role: Role | undefined, action: WorkspaceAction): boolean => !!role && RULES[action].includes(role);

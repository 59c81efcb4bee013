/** The role table of `can()`, exhaustively: every role (and no role) against every action. */
import { describe, expect, it } from 'vitest';
import { MEMBER_ROLES, type Role } from '@huntroom/shared';
import { can, type WorkspaceAction } from './policy.js';

const EXPECTED: Record<WorkspaceAction, Record<Role | 'none', boolean>> = {
  read: { owner: true, hunter: true, observer: true, guest: true, none: false },
  write: { owner: true, hunter: true, observer: false, guest: false, none: false },
  manage: { owner: true, hunter: false, observer: false, guest: false, none: false },
  delete: { owner: true, hunter: false, observer: false, guest: false, none: false },
};

describe('can(role, action)', () => {
  const cases = (Object.keys(EXPECTED) as WorkspaceAction[]).flatMap((action) =>
    [...MEMBER_ROLES, 'none' as const].map((role) => ({ action, role, allowed: EXPECTED[action][role] })),
  );

  it.each(cases)('$role may $action: $allowed', ({ action, role, allowed }) => {
    expect(can(role === 'none' ? undefined : role, action)).toBe(allowed);
  });

  it('covers every role the schema knows', () => {
    expect([...MEMBER_ROLES].sort()).toEqual(['guest', 'hunter', 'observer', 'owner']);
  });

  it('refuses a role string it does not know, whatever the action', () => {
    for (const action of Object.keys(EXPECTED) as WorkspaceAction[]) {
      expect(can('admin' as Role, action)).toBe(false);
      expect(can('' as Role, action)).toBe(false);
    }
  });

  it.each(['observer', 'guest'] as const)('%s is read-only: the only action it may do is read', (role) => {
    const allowed = (Object.keys(EXPECTED) as WorkspaceAction[]).filter((a) => can(role, a));
    expect(allowed).toEqual(['read']);
  });
});

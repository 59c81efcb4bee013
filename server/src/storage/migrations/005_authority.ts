/**
 * Migration 5: the authority model (docs/security.md). Site admins (the operator's accounts), team
 * admins, invitations that need the target team's approval before they may create an account, and
 * guest memberships bound to a handoff session.
 *
 * Existing invites that could mint an account in another team than their creator's are set to
 * `pending`: they were made under the old rules, and that team's admins now decide. Nobody is made an
 * admin here; the operator names them with the CLI (`team admin add`, `user site-admin`).
 */
import type { Migration } from './types.js';

export const authority: Migration = {
  version: 5,
  name: 'site admins, team admins, invite approval, guest memberships',
  up: () => [
    `ALTER TABLE accounts ADD COLUMN site_admin INTEGER NOT NULL DEFAULT 0`,
    `CREATE TABLE team_admins (
      team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
      account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      created_at TEXT NOT NULL,
      PRIMARY KEY (team_id, account_id)
    )`,
    `CREATE INDEX team_admins_account ON team_admins(account_id)`,
    `ALTER TABLE invites ADD COLUMN approval TEXT NOT NULL DEFAULT 'approved'`,
    `ALTER TABLE invites ADD COLUMN decided_by TEXT`,
    `ALTER TABLE invites ADD COLUMN decided_at TEXT`,
    `ALTER TABLE invites ADD COLUMN handoff_id TEXT`,
    `UPDATE invites SET approval = 'pending'
      WHERE revoked_at IS NULL AND team_id <> (SELECT a.team_id FROM accounts a WHERE a.id = invites.created_by)`,
    `CREATE INDEX invites_pending ON invites(team_id, approval)`,
    `ALTER TABLE members ADD COLUMN handoff_id TEXT`,
    `CREATE INDEX members_handoff ON members(handoff_id)`,
  ],
};

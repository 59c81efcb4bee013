/**
 * Migration 9 (issue 15): the ATT&CK board belongs to its workspace. Boards used to take the team of
 * their first reader as owner team (an observer was enough); the owner team is now the workspace's
 * team, its creator's (attack/board.ts).
 *
 * Only boards whose marking every team of the workspace may see (CLEAR, GREEN or AMBER with no
 * release list) are given to the workspace's team here: for those the owner team decides nothing
 * about who sees them, so the change hides or shows nothing to anyone. A board with a narrower
 * marking keeps its owner team, since changing it would change who sees the board; workspace owners
 * can read such a board whatever its marking, and the first time one of them sets its marking the
 * board passes to the workspace's team (audited as `ownerTeam` in `attack.marking_changed`).
 */
import type { Migration } from './types.js';

export const boardOwner: Migration = {
  version: 9,
  name: 'ATT&CK boards owned by the workspace team',
  up: () => [
    `UPDATE documents
      SET owner_team_id = (SELECT a.team_id FROM workspaces w JOIN accounts a ON a.id = w.created_by WHERE w.id = documents.workspace_id),
          created_by = (SELECT w.created_by FROM workspaces w WHERE w.id = documents.workspace_id)
      WHERE kind = 'attack' AND tlp IN ('CLEAR', 'GREEN', 'AMBER') AND releasable_to = '[]'
        AND EXISTS (SELECT 1 FROM workspaces w JOIN accounts a ON a.id = w.created_by WHERE w.id = documents.workspace_id)`,
  ],
};

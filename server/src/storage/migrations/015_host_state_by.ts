/**
 * Migration 15: a host's state history names the person, not only the team (issue 18, item 2: "every
 * state change keeps who, which team and when"). New changes store the account's display name as it was
 * when they made the change, the way an audit entry keeps it (hunt/hosts/state.ts); this fills it in on
 * the changes stored before, from the accounts table. No column changes: the history is a JSON list in
 * `hunt_hosts.state_history`, so the SQL differs by dialect. An account that no longer exists leaves ''.
 */
import type { Migration } from './types.js';

const SQLITE = `UPDATE hunt_hosts SET state_history = (
  SELECT json_group_array(
           json_set(j.value, '$.displayName', COALESCE((SELECT a.display_name FROM accounts a WHERE a.id = json_extract(j.value, '$.accountId')), ''))
           ORDER BY j.key)
    FROM json_each(hunt_hosts.state_history) AS j)
  WHERE state_history <> '[]'`;

const POSTGRES = `UPDATE hunt_hosts h SET state_history = (
  SELECT COALESCE(jsonb_agg(e.value || jsonb_build_object('displayName', COALESCE(a.display_name, '')) ORDER BY e.n), '[]'::jsonb)::text
    FROM jsonb_array_elements(h.state_history::jsonb) WITH ORDINALITY AS e(value, n)
    LEFT JOIN accounts a ON a.id = e.value->>'accountId')
  WHERE h.state_history <> '[]'`;

export const hostStateBy: Migration = {
  version: 15,
  name: 'hunt hosts: the display name of who made each stored state change',
  up: (t) => [t.dialect === 'postgres' ? POSTGRES : SQLITE],
};

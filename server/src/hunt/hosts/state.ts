/** A host's state change, checked by the shared rules and kept in its history with who, team and when. */
import { hostTransitionError, type HostState } from '@huntroom/shared';
import type { CommandContext } from '../../records/command.js';
import type { StoredStateChange } from './present.js';
import type { HostRow } from './store.js';

/** Moves `row` to `to` (in place) or returns why it may not; staying put changes nothing. */
export function changeState(c: Pick<CommandContext, 'account' | 'at'>, row: HostRow, to: HostState, from: HostState | null = row.state): string | null {
  if (from !== null) {
    const why = hostTransitionError(from, to);
    if (why) return why;
    if (from === to) return null;
  }
  const history = JSON.parse(row.state_history) as StoredStateChange[];
  // The name as it is now, kept with the change as an audit entry keeps it (migration 15 filled in older ones).
  history.push({ from, to, accountId: c.account.id, displayName: c.account.displayName, teamId: c.account.team.id, at: c.at });
  row.state_history = JSON.stringify(history);
  row.state = to;
  // Every state but the first says someone looked: that team and time are the examination.
  if (to !== 'not-examined') {
    row.examined_by_team_id = c.account.team.id;
    row.examined_at = c.at;
  }
  return null;
}

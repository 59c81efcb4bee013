import type { HostStateChange, HostView } from '@huntroom/shared';
import type { TeamIndex } from '../../indicators/present.js';
import { list, presentBase } from '../common/rows.js';
import type { HostRow } from './store.js';

/** A state change as stored: team by id (codes can be renamed; ids cannot). */
export interface StoredStateChange extends Omit<HostStateChange, 'team'> {
  teamId: string;
}

export const presentHost = (r: HostRow, teams: TeamIndex): HostView => ({
  ...presentBase(r, teams),
  networkId: r.network_id,
  hostname: r.hostname,
  addresses: list(r.addresses),
  os: r.os,
  role: r.role,
  criticality: r.criticality,
  state: r.state,
  examinedBy: r.examined_by_team_id ? teams.ref(r.examined_by_team_id) : null,
  examinedAt: r.examined_at,
  notes: r.notes,
  stateHistory: (JSON.parse(r.state_history) as StoredStateChange[]).map(({ teamId, ...h }) => ({ ...h, displayName: h.displayName ?? '', team: teams.ref(teamId) })),
});

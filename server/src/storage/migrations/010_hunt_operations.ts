/**
 * Migration 10: hunt operations (issue 18) on the record plane: networks, hosts, findings and timeline
 * events. Each row carries its marking as indicators do (tlp, releasable_to as a JSON array of team
 * ids, owner_team_id), so every read hands it to `canSee` without loading more. Lists of ids
 * (addresses, linked indicators, techniques, findings) are JSON arrays: they are read with the row
 * and filtered in memory after `canSee`, like the indicator list.
 */
import type { Migration } from './types.js';

const marked = `tlp TEXT NOT NULL,
      releasable_to TEXT NOT NULL,
      owner_team_id TEXT NOT NULL,
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      created_seq BIGINT NOT NULL,
      updated_seq BIGINT NOT NULL`;

export const huntOperations: Migration = {
  version: 10,
  name: 'hunt operations: networks, hosts (with state history), findings, timeline events',
  up: () => [
    `CREATE TABLE hunt_networks (
      id TEXT PRIMARY KEY,
      workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      partner TEXT NOT NULL,
      hunting_team_id TEXT,
      period_from TEXT,
      period_to TEXT,
      rules_of_engagement TEXT NOT NULL,
      ${marked}
    )`,
    `CREATE INDEX hunt_networks_list ON hunt_networks(workspace_id, created_seq)`,
    // Hosts are found again by hostname_key or an address within their network (shared/src/hunt/identity.ts, server/src/hunt/hosts/add.ts).
    // No UNIQUE constraint: a host hidden from a team must not make that team's create fail.
    `CREATE TABLE hunt_hosts (
      id TEXT PRIMARY KEY,
      workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      network_id TEXT NOT NULL REFERENCES hunt_networks(id),
      hostname TEXT NOT NULL,
      hostname_key TEXT NOT NULL,
      addresses TEXT NOT NULL,
      os TEXT NOT NULL,
      role TEXT NOT NULL,
      criticality TEXT NOT NULL,
      state TEXT NOT NULL,
      examined_by_team_id TEXT,
      examined_at TEXT,
      notes TEXT NOT NULL,
      state_history TEXT NOT NULL,
      ${marked}
    )`,
    `CREATE INDEX hunt_hosts_network ON hunt_hosts(workspace_id, network_id)`,
    `CREATE INDEX hunt_hosts_list ON hunt_hosts(workspace_id, created_seq)`,
    `CREATE TABLE hunt_findings (
      id TEXT PRIMARY KEY,
      workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      host_id TEXT NOT NULL REFERENCES hunt_hosts(id),
      network_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      severity TEXT NOT NULL,
      status TEXT NOT NULL,
      title TEXT NOT NULL,
      description TEXT NOT NULL,
      indicator_ids TEXT NOT NULL,
      techniques TEXT NOT NULL,
      related_finding_ids TEXT NOT NULL,
      ${marked}
    )`,
    `CREATE INDEX hunt_findings_host ON hunt_findings(workspace_id, host_id)`,
    `CREATE INDEX hunt_findings_list ON hunt_findings(workspace_id, created_seq)`,
    `CREATE TABLE hunt_timeline (
      id TEXT PRIMARY KEY,
      workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      at TEXT NOT NULL,
      source_time_zone TEXT NOT NULL,
      host_id TEXT REFERENCES hunt_hosts(id),
      network_id TEXT,
      description TEXT NOT NULL,
      source TEXT NOT NULL,
      team_id TEXT NOT NULL,
      indicator_ids TEXT NOT NULL,
      techniques TEXT NOT NULL,
      finding_ids TEXT NOT NULL,
      ${marked}
    )`,
    // The list is read in time order, filtered by range, host and team.
    `CREATE INDEX hunt_timeline_at ON hunt_timeline(workspace_id, at, id)`,
    `CREATE INDEX hunt_timeline_host ON hunt_timeline(workspace_id, host_id)`,
  ],
};

/**
 * Adding hosts, one or a batch (a pasted list, a CSV or nmap import): each item is judged on its own.
 * Within its network a host is found again by hostname or by any address (shared hunt/identity.ts),
 * against the hosts already there and the ones earlier in the batch:
 * - no match: a new host, marked as asked or as its network (common/rules.ts), never wider than it;
 * - a match the writer sees: merged, adding what the host lacks (addresses no other host of the
 *   network holds, a hostname, an OS, a role where it had "other"); state, criticality and marking
 *   change only through an update, so an import cannot undo an examination;
 * - a match the writer cannot see: `exists-hidden`, nothing written (the one bit indicators tell too).
 */
import { canSee, hostnameKey, type HostItemInput, type HuntBulkResult } from '@huntroom/shared';
import type { CommandContext } from '../../records/command.js';
import type { TeamIndex } from '../../indicators/present.js';
import { itemOf, list, newBase } from '../common/rows.js';
import { newItemMarking, widerThanRefs } from '../common/rules.js';
import { networkStore, type NetworkRow } from '../networks/store.js';
import { presentHost } from './present.js';
import { changeState } from './state.js';
import { hostStore, type HostRow } from './store.js';

export type HostOutcome = HuntBulkResult['results'][number] & { row?: HostRow };

interface NetworkHosts {
  network: NetworkRow | undefined;
  hosts: HostRow[];
}

function findMatch(hosts: readonly HostRow[], key: string, addresses: readonly string[]): HostRow | undefined {
  return (key ? hosts.find((h) => h.hostname_key === key) : undefined) ?? hosts.find((h) => list(h.addresses).some((a) => addresses.includes(a)));
}

/** Fields of `item` a merge into `host` did not apply (it changes only what the host lacked). */
function ignoredOnMerge(item: HostItemInput, host: HostRow): string[] {
  const out: string[] = [];
  if (item.state !== undefined && item.state !== host.state) out.push('state');
  if (item.criticality !== undefined && item.criticality !== host.criticality) out.push('criticality');
  if (item.notes !== undefined && item.notes !== host.notes) out.push('notes');
  if (item.os !== undefined && item.os !== host.os) out.push('os');
  if (item.role !== undefined && item.role !== host.role) out.push('role');
  if (item.tlp !== undefined || item.releasableTo !== undefined) out.push('marking');
  return out;
}

export async function addHosts(c: CommandContext, items: readonly { index: number; item: HostItemInput }[], teams: TeamIndex): Promise<HostOutcome[]> {
  const viewer = c.account.team.id;
  const byNetwork = new Map<string, NetworkHosts>();
  const fresh: HostRow[] = [];
  const merged = new Map<string, HostRow>();
  const out: HostOutcome[] = [];
  // Reserved before the hosts are read: the seq counter row stays locked until commit (records/store.ts),
  // so on PostgreSQL a concurrent add in the workspace waits here and then reads this one's hosts.
  await c.reserve(items.length);
  for (const { index, item } of items) {
    let nh = byNetwork.get(item.networkId);
    if (!nh) {
      const network = await networkStore.get(c.tx, c.workspace.id, item.networkId);
      const visible = network && canSee(viewer, itemOf(network));
      nh = { network: visible ? network : undefined, hosts: visible ? await hostStore.inNetwork(c.tx, c.workspace.id, network.id) : [] };
      byNetwork.set(item.networkId, nh);
    }
    // A hidden network answers exactly like a missing one.
    if (!nh.network) {
      out.push({ index, outcome: 'rejected', reason: 'networkId: network not found' });
      continue;
    }
    const key = hostnameKey(item.hostname ?? '');
    const addresses = [...new Set(item.addresses ?? [])];
    const match = findMatch(nh.hosts, key, addresses);
    if (match && !canSee(viewer, itemOf(match))) {
      out.push({ index, outcome: 'exists-hidden' });
      continue;
    }
    if (match) {
      const held = new Set(nh.hosts.filter((h) => h !== match).flatMap((h) => list(h.addresses)));
      const skipped = addresses.filter((a) => held.has(a));
      const next = [...new Set([...list(match.addresses), ...addresses.filter((a) => !held.has(a))])];
      const before = JSON.stringify(match);
      match.addresses = JSON.stringify(next);
      if (!match.hostname && item.hostname) [match.hostname, match.hostname_key] = [item.hostname, key];
      if (!match.os && item.os) match.os = item.os;
      if (match.role === 'other' && item.role) match.role = item.role;
      // Said back rather than dropped in silence: what was sent and not taken.
      const ignored = ignoredOnMerge(item, match);
      if (JSON.stringify(match) !== before) {
        match.updated_at = c.at;
        const view = presentHost(match, teams);
        match.updated_seq = view.updatedSeq = await c.record({ type: 'host:updated', recordId: match.id, payload: { host: view }, audience: { item: itemOf(match) } });
        if (!fresh.includes(match)) merged.set(match.id, match);
      }
      out.push({ index, outcome: 'merged', id: match.id, row: match, ...(skipped.length ? { skippedAddresses: skipped } : {}), ...(ignored.length ? { ignored } : {}) });
      continue;
    }
    const marking = newItemMarking(teams, c.workspace, item, itemOf(nh.network));
    if (typeof marking === 'string') {
      out.push({ index, outcome: 'rejected', reason: `releasableTo: ${marking}` });
      continue;
    }
    const row: HostRow = {
      ...newBase(c, marking),
      network_id: nh.network.id,
      hostname: item.hostname ?? '',
      hostname_key: key,
      addresses: JSON.stringify(addresses),
      os: item.os ?? '',
      role: item.role ?? 'other',
      criticality: item.criticality ?? 'medium',
      state: 'not-examined',
      examined_by_team_id: null,
      examined_at: null,
      notes: item.notes ?? '',
      state_history: '[]',
    };
    const wider = widerThanRefs(teams, viewer, itemOf(row), [{ kind: 'network', item: itemOf(nh.network) }]);
    if (wider) {
      out.push({ index, outcome: 'rejected', reason: `releasableTo: ${wider}` });
      continue;
    }
    if (item.state === 'remediated') {
      out.push({ index, outcome: 'rejected', reason: 'state: a new host cannot start remediated (mark it compromised first)' });
      continue;
    }
    // The first history entry says who added it and in which state (examined on the spot, or not).
    changeState(c, row, item.state ?? 'not-examined', null);
    const view = presentHost(row, teams);
    row.created_seq = row.updated_seq = view.updatedSeq = await c.record({ type: 'host:created', recordId: row.id, payload: { host: view }, audience: { item: itemOf(row) } });
    nh.hosts.push(row);
    fresh.push(row);
    out.push({ index, outcome: 'created', id: row.id, row });
  }
  await hostStore.insertMany(c.tx, fresh);
  for (const row of merged.values()) await hostStore.save(c.tx, row);
  return out;
}

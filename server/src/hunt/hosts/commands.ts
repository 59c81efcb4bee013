/**
 * Host commands: create (or merge, add.ts), bulk create (each item judged on its own), update (fields,
 * state with its history, marking) and delete. A host refers to its network: never wider than it.
 */
import {
  bulkCreateHostsSchema,
  canonicalAddress,
  createHostSchema,
  deleteHuntItemSchema,
  hostItemSchema,
  hostnameKey,
  updateHostSchema,
  type CreateHostResult,
  type HostView,
  type HuntBulkResult,
} from '@huntroom/shared';
import type { CommandDef } from '../../records/command.js';
import { AppError, conflict } from '../../http/errors.js';
import { teamIndex } from '../../indicators/add.js';
import { checkEach } from '../common/bulk.js';
import type { ChildRef } from '../common/children.js';
import { itemOf, list } from '../common/rows.js';
import { invalid, requireNoWider, subject } from '../common/rules.js';
import { applyAskedMarking, checkRemark, deletableItem, removeItem, saveUpdate, visibleItem } from '../common/write.js';
import { networkStore } from '../networks/store.js';
import { addHosts } from './add.js';
import { presentHost } from './present.js';
import { changeState } from './state.js';
import { hostStore, type HostRow } from './store.js';

export const createHost: CommandDef<typeof createHostSchema, CreateHostResult> = {
  type: 'host:create',
  schema: createHostSchema,
  action: 'write',
  async run(c, input) {
    const teams = await teamIndex(c);
    const [out] = await addHosts(c, [{ index: 0, item: input }], teams);
    if (!out) throw new AppError('internal', 'host:create judged nothing');
    if (out.outcome === 'rejected') {
      const [field, ...rest] = out.reason.split(': ');
      if (field === 'networkId') throw new AppError('not_found', 'network not found');
      throw invalid(field!, rest.join(': '));
    }
    // Nothing written and nothing told about the hidden host (add.ts).
    if (out.outcome === 'exists-hidden') return { outcome: out.outcome };
    const row = out.row!;
    await c.audit(`hunt.host.${out.outcome}`, { id: row.id }, [subject('host', row.id, itemOf(row))]);
    return {
      outcome: out.outcome,
      host: presentHost(row, teams),
      ...(out.skippedAddresses ? { skippedAddresses: out.skippedAddresses } : {}),
      ...(out.ignored ? { ignored: out.ignored } : {}),
    };
  },
};

export const bulkCreateHosts: CommandDef<typeof bulkCreateHostsSchema, HuntBulkResult> = {
  type: 'host:bulkCreate',
  schema: bulkCreateHostsSchema,
  action: 'write',
  async run(c, input) {
    const { valid, rejected } = checkEach(hostItemSchema, input.items);
    const outcomes = valid.length ? await addHosts(c, valid, await teamIndex(c)) : [];
    const results: HuntBulkResult['results'] = [...rejected, ...outcomes.map(({ row: _row, ...o }) => o)].sort((a, b) => a.index - b.index);
    const count = (o: string) => results.filter((r) => r.outcome === o).length;
    const result: HuntBulkResult = { results, created: count('created'), merged: count('merged'), rejected: count('rejected') };
    await c.audit(
      'hunt.host.imported',
      { created: result.created, merged: result.merged, rejected: result.rejected },
      outcomes.flatMap((o) => (o.row ? [subject('host', o.row.id, itemOf(o.row))] : [])),
    );
    return result;
  },
};

export const updateHost: CommandDef<typeof updateHostSchema, { host: HostView; narrowedChildren?: ChildRef[] }> = {
  type: 'host:update',
  schema: updateHostSchema,
  action: 'write',
  async run(c, input) {
    const before = await visibleItem(c, 'host', hostStore, input.id);
    const teams = await teamIndex(c);
    const next: HostRow = { ...before };
    if (input.hostname !== undefined) [next.hostname, next.hostname_key] = [input.hostname, hostnameKey(input.hostname)];
    if (input.addresses !== undefined) next.addresses = JSON.stringify([...new Set(input.addresses.map((a) => canonicalAddress(a) ?? a))]);
    if (!next.hostname_key && !list(next.addresses).length) throw invalid('hostname', 'a host needs a hostname or an address');
    if (input.os !== undefined) next.os = input.os;
    if (input.role !== undefined) next.role = input.role;
    if (input.criticality !== undefined) next.criticality = input.criticality;
    if (input.notes !== undefined) next.notes = input.notes;
    if (input.state !== undefined) {
      const why = changeState(c, next, input.state);
      if (why) throw invalid('state', why);
    }
    if (next.hostname_key !== before.hostname_key || next.addresses !== before.addresses) {
      // The seq row lock first (as add.ts): a concurrent rename in the workspace is read after it commits.
      await c.reserve(2);
      const others = (await hostStore.inNetwork(c.tx, c.workspace.id, next.network_id)).filter((h) => h.id !== next.id);
      const mine = list(next.addresses);
      if (others.some((h) => (next.hostname_key && h.hostname_key === next.hostname_key) || list(h.addresses).some((a) => mine.includes(a))))
        throw conflict('another host of this network already has that hostname or address');
    }
    applyAskedMarking(teams, before, next, input);
    const remarked = checkRemark(c, before, next);
    if (remarked) {
      const network = await networkStore.get(c.tx, c.workspace.id, next.network_id);
      if (network) requireNoWider(teams, c.account.team.id, itemOf(next), [{ kind: 'network', item: itemOf(network) }]);
    }
    const saved = await saveUpdate(c, { kind: 'host', key: 'host', before, next, remarked, teams, store: hostStore, present: presentHost });
    if (!saved) return { host: presentHost(before, teams) };
    await c.audit('hunt.host.updated', { id: next.id, state: next.state !== before.state ? next.state : undefined }, [subject('host', next.id, itemOf(next))]);
    return saved.narrowed.length ? { host: saved.view, narrowedChildren: saved.narrowed } : { host: saved.view };
  },
};

export const deleteHost: CommandDef<typeof deleteHuntItemSchema, { id: string }> = {
  type: 'host:delete',
  schema: deleteHuntItemSchema,
  action: 'write',
  async run(c, input) {
    const row = await deletableItem(c, 'host', hostStore, input.id);
    if (await hostStore.isReferenced(c.tx, c.workspace.id, row.id)) throw conflict('findings or timeline events still refer to this host; delete or move them first');
    return removeItem(c, 'host', hostStore, row);
  },
};

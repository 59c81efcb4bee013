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
import { widerChildren, type ChildRef } from '../common/children.js';
import { changedColumns, itemOf, list } from '../common/rows.js';
import { changedMarking, invalid, remarkItem, requireDelete, requireMarkingChange, requireNoWider, requireVisible, sameMarking, subject } from '../common/rules.js';
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

export const updateHost: CommandDef<typeof updateHostSchema, { host: HostView; widerChildren?: ChildRef[] }> = {
  type: 'host:update',
  schema: updateHostSchema,
  action: 'write',
  async run(c, input) {
    const before = requireVisible(c.account, await hostStore.get(c.tx, c.workspace.id, input.id), 'host');
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
    if (input.tlp !== undefined || input.releasableTo !== undefined) {
      const marking = changedMarking(teams, before, input);
      if (typeof marking === 'string') throw invalid('releasableTo', marking);
      next.tlp = marking.tlp;
      next.releasable_to = JSON.stringify(marking.releasableTo);
    }
    const remarked = !sameMarking(before, next);
    if (remarked) {
      requireMarkingChange(c.account, c.workspace, itemOf(before));
      const network = await networkStore.get(c.tx, c.workspace.id, next.network_id);
      if (network) requireNoWider(teams, c.account.team.id, itemOf(next), [{ kind: 'network', item: itemOf(network) }]);
    }
    const changes = changedColumns(before, next);
    if (!changes.length) return { host: presentHost(before, teams) };
    next.updated_at = c.at;
    const view = presentHost(next, teams);
    next.updated_seq = view.updatedSeq = await c.record({ type: 'host:updated', recordId: next.id, payload: { host: view, changes }, audience: { item: itemOf(next) } });
    if (remarked) await remarkItem(c, 'host', next.id, itemOf(before), itemOf(next));
    const wider = remarked ? await widerChildren(c, teams, 'host', next.id, itemOf(next)) : [];
    await hostStore.save(c.tx, next);
    await c.audit('hunt.host.updated', { id: next.id, state: next.state !== before.state ? next.state : undefined }, [subject('host', next.id, itemOf(next))]);
    return wider.length ? { host: view, widerChildren: wider } : { host: view };
  },
};

export const deleteHost: CommandDef<typeof deleteHuntItemSchema, { id: string }> = {
  type: 'host:delete',
  schema: deleteHuntItemSchema,
  action: 'write',
  async run(c, input) {
    const row = requireVisible(c.account, await hostStore.get(c.tx, c.workspace.id, input.id), 'host');
    requireDelete(c.account, c.workspace, itemOf(row), 'host');
    if (await hostStore.isReferenced(c.tx, c.workspace.id, row.id)) throw conflict('findings or timeline events still refer to this host; delete or move them first');
    await hostStore.delete(c.tx, c.workspace.id, row.id);
    await c.record({ type: 'host:deleted', recordId: row.id, payload: { id: row.id }, audience: { item: itemOf(row) } });
    await c.audit('hunt.host.deleted', { id: row.id }, [subject('host', row.id, itemOf(row))]);
    return { id: row.id };
  },
};

/**
 * Network commands: create, update (fields, marking), delete. A network is the root of the hunt: it
 * refers to nothing, so its marking is what was asked or the workspace default.
 */
import { createNetworkSchema, deleteHuntItemSchema, updateNetworkSchema, type NetworkView } from '@huntroom/shared';
import type { CommandDef } from '../../records/command.js';
import { conflict } from '../../http/errors.js';
import { teamIndex } from '../../indicators/add.js';
import type { ChildRef } from '../common/children.js';
import { itemOf, newBase } from '../common/rows.js';
import { invalid, newItemMarking, subject } from '../common/rules.js';
import { applyAskedMarking, checkRemark, deletableItem, removeItem, saveUpdate, visibleItem } from '../common/write.js';
import { teamIdOf } from '../common/teams.js';
import { presentNetwork } from './present.js';
import { networkStore, type NetworkRow } from './store.js';

export const createNetwork: CommandDef<typeof createNetworkSchema, { network: NetworkView }> = {
  type: 'network:create',
  schema: createNetworkSchema,
  action: 'write',
  async run(c, input) {
    const teams = await teamIndex(c);
    const marking = newItemMarking(teams, c.workspace, input);
    if (typeof marking === 'string') throw invalid('releasableTo', marking);
    const row: NetworkRow = {
      ...newBase(c, marking),
      name: input.name,
      partner: input.partner ?? '',
      hunting_team_id: input.huntingTeam ? teamIdOf(teams, input.huntingTeam, 'huntingTeam') : null,
      period_from: input.periodFrom ? new Date(input.periodFrom).toISOString() : null,
      period_to: input.periodTo ? new Date(input.periodTo).toISOString() : null,
      rules_of_engagement: input.rulesOfEngagement ?? '',
    };
    const view = presentNetwork(row, teams);
    row.created_seq =
      row.updated_seq =
      view.updatedSeq =
        await c.record({ type: 'network:created', recordId: row.id, payload: { network: view }, audience: { item: itemOf(row) } });
    await networkStore.insertMany(c.tx, [row]);
    await c.audit('hunt.network.created', { id: row.id }, [subject('network', row.id, itemOf(row))]);
    return { network: view };
  },
};

export const updateNetwork: CommandDef<typeof updateNetworkSchema, { network: NetworkView; narrowedChildren?: ChildRef[] }> = {
  type: 'network:update',
  schema: updateNetworkSchema,
  action: 'write',
  async run(c, input) {
    const before = await visibleItem(c, 'network', networkStore, input.id);
    const teams = await teamIndex(c);
    const next: NetworkRow = { ...before };
    if (input.name !== undefined) next.name = input.name;
    if (input.partner !== undefined) next.partner = input.partner;
    if (input.huntingTeam !== undefined) next.hunting_team_id = input.huntingTeam === null ? null : teamIdOf(teams, input.huntingTeam, 'huntingTeam');
    if (input.periodFrom !== undefined) next.period_from = new Date(input.periodFrom).toISOString();
    if (input.periodTo !== undefined) next.period_to = new Date(input.periodTo).toISOString();
    if (next.period_from && next.period_to && next.period_from > next.period_to) throw invalid('periodTo', 'the period ends before it starts');
    if (input.rulesOfEngagement !== undefined) next.rules_of_engagement = input.rulesOfEngagement;
    applyAskedMarking(teams, before, next, input);
    const remarked = checkRemark(c, before, next);
    const saved = await saveUpdate(c, { kind: 'network', key: 'network', before, next, remarked, teams, store: networkStore, present: presentNetwork });
    if (!saved) return { network: presentNetwork(before, teams) };
    await c.audit('hunt.network.updated', { id: next.id }, [subject('network', next.id, itemOf(next))]);
    return saved.narrowed.length ? { network: saved.view, narrowedChildren: saved.narrowed } : { network: saved.view };
  },
};

export const deleteNetwork: CommandDef<typeof deleteHuntItemSchema, { id: string }> = {
  type: 'network:delete',
  schema: deleteHuntItemSchema,
  action: 'write',
  async run(c, input) {
    const row = await deletableItem(c, 'network', networkStore, input.id);
    // Hosts (visible or not) keep their network: deleting it under them would orphan other teams' work.
    if (await networkStore.hasHosts(c.tx, c.workspace.id, row.id)) throw conflict('the network still has hosts; delete them first');
    return removeItem(c, 'network', networkStore, row);
  },
};

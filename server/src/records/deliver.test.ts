/** Who receives what: the per-team delivery plan applies `canSee` to every event's audience. */
import { describe, expect, it } from 'vitest';
import type { Marking, RecordEvent } from '@huntroom/shared';
import { deliveryPlan, type Outgoing } from './deliver.js';

const ev = (seq: number, type = 'indicator:created'): RecordEvent => ({
  workspaceId: 'w',
  seq,
  type,
  recordId: `r${seq}`,
  at: '2025-01-01T00:00:00.000Z',
  actor: { id: 'a', username: 'alice', displayName: 'Alice', team: { id: 'US', code: 'US', color: '#000000' } },
  payload: {},
});
const item = (tlp: Marking['tlp'], releasableTo: string[] = [], ownerTeamId = 'US') => ({ marking: { tlp, releasableTo }, ownerTeamId });
const teams = ['US', 'CA', 'LV'];
const who = (out: Outgoing[]) => Object.fromEntries(deliveryPlan(teams, out).map((d) => [d.teamId, d.events.map((e) => e.seq)]));

describe('deliveryPlan', () => {
  it('sends each team only what it may see, in seq order', () => {
    const out: Outgoing[] = [
      { event: ev(1), audience: { item: item('AMBER') } },
      { event: ev(2), audience: { item: item('AMBER+STRICT') } },
      { event: ev(3), audience: { item: item('RED', ['LV']) } },
      { event: ev(4), audience: { item: item('GREEN', ['CA']) } },
    ];
    expect(who(out)).toEqual({ US: [1, 2, 3, 4], CA: [1, 4], LV: [1, 3] });
  });

  it('hides a comment when either its own or its indicator marking hides it', () => {
    const out: Outgoing[] = [
      { event: ev(1, 'indicator:commented'), audience: { item: item('AMBER', [], 'CA'), parent: item('RED', ['CA']) } },
      { event: ev(2, 'indicator:commented'), audience: { item: item('RED', ['US'], 'CA'), parent: item('AMBER') } },
    ];
    expect(who(out)).toEqual({ US: [1, 2], CA: [1, 2] });
  });

  it('sends a revoke only to teams that saw the record before and do not now', () => {
    const out: Outgoing[] = [{ event: ev(5, 'indicator:revoked'), audience: { item: item('AMBER'), unless: item('RED', ['LV']) } }];
    expect(who(out)).toEqual({ CA: [5] });
  });
});

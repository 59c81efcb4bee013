import { describe, expect, it } from 'vitest';
import type { HostState, HostView } from '@huntroom/shared';
import { coverageOf, groupHosts, NOBODY } from './coverage.js';

const host = (hostname: string, state: HostState, team?: string): HostView =>
  ({ id: hostname, hostname, addresses: [], state, examinedBy: team ? { id: `t-${team}`, code: team } : null }) as unknown as HostView;

describe('coverage of a network', () => {
  const hosts = [
    host('dc01', 'compromised', 'LV'),
    host('ws02', 'examined-clean', 'CA'),
    host('ws01', 'examined-clean', 'CA'),
    host('mail', 'not-examined'),
    host('ws03', 'suspicious', 'LV'),
  ];

  it('counts hosts by examining team and state, unexamined last', () => {
    const c = coverageOf(hosts);
    expect(c.teams).toEqual(['CA', 'LV', NOBODY]);
    expect(c.counts.CA!['examined-clean']).toBe(2);
    expect(c.counts.LV).toEqual({ 'not-examined': 0, 'examined-clean': 0, suspicious: 1, compromised: 1, remediated: 0 });
    expect(c.counts[NOBODY]!['not-examined']).toBe(1);
    expect(c.byState).toEqual({ 'not-examined': 1, 'examined-clean': 2, suspicious: 1, compromised: 1, remediated: 0 });
    expect(c.total).toBe(5);
  });

  it('groups tiles by state in the hunt order or by team, names sorted, empty groups left out', () => {
    expect(groupHosts(hosts, 'state').map((g) => [g.key, g.hosts.map((h) => h.hostname)])).toEqual([
      ['not-examined', ['mail']],
      ['examined-clean', ['ws01', 'ws02']],
      ['suspicious', ['ws03']],
      ['compromised', ['dc01']],
    ]);
    expect(groupHosts(hosts, 'team').map((g) => g.key)).toEqual(['CA', 'LV', NOBODY]);
  });
});

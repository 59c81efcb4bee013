/**
 * Hunt commands on a real database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set): host
 * de-duplication and state history, references to hidden items, the no-wider rule, sightings from
 * findings, revoke on marking change. The kit: alice US owner, ben CA hunter, liga LV hunter, olga LV observer.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { CommandAck } from '@huntroom/shared';
import { execute, type CommandDef } from '../records/command.js';
import { syncEvents } from '../records/sync.js';
import { openKit, type Kit } from '../records/testkit.js';
import { createIndicator } from '../indicators/service.js';
import { getIndicator } from '../indicators/queries.js';
import { createNetwork, deleteNetwork, updateNetwork } from './networks/commands.js';
import { bulkCreateHosts, createHost, updateHost } from './hosts/commands.js';
import { createFinding, updateFinding } from './findings/commands.js';
import { createTimelineEvent, updateTimelineEvent } from './timeline/commands.js';
import { visibleFinding } from './findings/lookup.js';

const backends = ['sqlite', ...(process.env.TEST_DATABASE_URL ? ['postgres' as const] : [])] as const;
if (!process.env.TEST_DATABASE_URL) console.warn('hunt: TEST_DATABASE_URL is not set, so the PostgreSQL run is SKIPPED (SQLite only)');

describe.each(backends)('hunt commands on %s', (backend) => {
  let kit: Kit;
  beforeEach(async () => void (kit = await openKit(backend)));
  afterEach(() => kit.close());
  type Who = keyof Kit['accounts'];
  const run = (who: Who, def: CommandDef<any, unknown>, payload: Record<string, unknown>) =>
    execute(kit.ctx, kit.accounts[who], def, { id: randomUUID(), payload: { workspaceId: kit.workspaceId, ...payload } });
  async function ok<T = any>(who: Who, def: CommandDef<any, unknown>, payload: Record<string, unknown>): Promise<T> {
    const ack = await run(who, def, payload);
    if (!ack.ok) throw new Error(JSON.stringify(ack.error));
    return ack.data as T;
  }
  const fail = async (who: Who, def: CommandDef<any, unknown>, payload: Record<string, unknown>) => (await run(who, def, payload)) as Extract<CommandAck, { ok: false }>;

  it('merges a host found again by hostname or address, and keeps every state change with team and time', async () => {
    const { network } = await ok('alice', createNetwork, { name: 'Ministry LAN', partner: 'Ministry', huntingTeam: 'ca' });
    expect(network).toMatchObject({ huntingTeam: { code: 'CA' }, tlp: 'AMBER', releasableTo: [] });
    const a = await ok('ben', createHost, { networkId: network.id, hostname: 'DC01.corp.example', addresses: ['10.0.0.5'], role: 'domain-controller' });
    expect(a).toMatchObject({ outcome: 'created', host: { hostname: 'DC01.corp.example', state: 'not-examined', ownerTeam: { code: 'CA' } } });
    const b = await ok('liga', createHost, { networkId: network.id, hostname: 'dc01.corp.example.', addresses: ['10.0.0.6'], os: 'Windows Server 2019' });
    expect(b).toMatchObject({ outcome: 'merged', host: { id: a.host.id, addresses: ['10.0.0.5', '10.0.0.6'], os: 'Windows Server 2019', role: 'domain-controller' } });
    // What a merge does not take is said back, not dropped in silence.
    const d = await ok('liga', createHost, { networkId: network.id, hostname: 'dc01.corp.example', state: 'compromised', tlp: 'RED', os: 'Windows Server 2019' });
    expect(d).toMatchObject({ outcome: 'merged', ignored: ['state', 'marking'], host: { state: 'not-examined', tlp: 'AMBER' } });
    const c = await ok('liga', createHost, { networkId: network.id, addresses: ['10.0.0.6'] });
    expect(c).toMatchObject({ outcome: 'merged', host: { id: a.host.id } });
    // The same name in another network is another host.
    const other = await ok('alice', createNetwork, { name: 'OT' });
    expect(await ok('ben', createHost, { networkId: other.network.id, hostname: 'dc01.corp.example' })).toMatchObject({ outcome: 'created' });

    await ok('ben', updateHost, { id: a.host.id, state: 'suspicious' });
    const bad = await fail('liga', updateHost, { id: a.host.id, state: 'not-examined' });
    expect(bad.error).toMatchObject({ code: 'validation_failed', fields: { 'payload.state': expect.stringContaining('cannot go from suspicious') } });
    const { host } = await ok('liga', updateHost, { id: a.host.id, state: 'compromised' });
    expect(host).toMatchObject({ state: 'compromised', examinedBy: { code: 'LV' } });
    expect(host.stateHistory.map((h: any) => [h.from, h.to, h.team.code, h.accountId, h.displayName])).toEqual([
      [null, 'not-examined', 'CA', kit.accounts.ben.id, kit.accounts.ben.displayName],
      ['not-examined', 'suspicious', 'CA', kit.accounts.ben.id, kit.accounts.ben.displayName],
      ['suspicious', 'compromised', 'LV', kit.accounts.liga.id, kit.accounts.liga.displayName],
    ]);
    expect(kit.accounts.liga.displayName).toBeTruthy();
    expect(host.stateHistory.every((h: any) => typeof h.at === 'string' && h.at.endsWith('Z'))).toBe(true);
    expect(await fail('olga', updateHost, { id: a.host.id, state: 'remediated' })).toMatchObject({ error: { code: 'forbidden' } });
  });

  it('merges concurrent adds of one host into one row (the seq lock orders them on PostgreSQL)', async () => {
    const { network } = await ok('alice', createNetwork, { name: 'Race' });
    const who: Who[] = ['alice', 'ben', 'liga', 'ben', 'liga', 'alice', 'ben', 'liga'];
    const outs = await Promise.all(who.map((w, i) => ok(w, createHost, { networkId: network.id, hostname: 'race-host', addresses: [`10.77.0.${i + 1}`] })));
    expect(outs.map((o) => o.outcome).sort()).toEqual(['created', ...Array(7).fill('merged')]);
    const rows = await kit.db.all<{ addresses: string }>('SELECT addresses FROM hunt_hosts WHERE network_id = ?', [network.id]);
    expect(rows).toHaveLength(1);
    expect((JSON.parse(rows[0]!.addresses) as string[]).sort()).toEqual(who.map((_, i) => `10.77.0.${i + 1}`).sort());
  });

  it('judges bulk rows one by one: bad rows refused by index, duplicates within the batch merged', async () => {
    const { network } = await ok('alice', createNetwork, { name: 'HQ' });
    const r = await ok('ben', bulkCreateHosts, {
      items: [
        { networkId: network.id, hostname: 'ws01', addresses: ['10.1.0.1'] },
        { networkId: network.id },
        { networkId: network.id, hostname: 'WS01' },
        { networkId: network.id, addresses: ['999.1.1.1'] },
        { networkId: 'no-such-network', hostname: 'x' },
        { networkId: network.id, hostname: 'ws02', addresses: ['10.1.0.2'], releasableTo: ['XX'] },
        { networkId: network.id, hostname: 'ws03', state: 'remediated' },
        { networkId: network.id, hostname: 'ws04', state: 'compromised' },
      ],
    });
    expect(r).toMatchObject({ created: 2, merged: 1, rejected: 5 });
    expect(r.results.map((x: any) => x.outcome)).toEqual(['created', 'rejected', 'merged', 'rejected', 'rejected', 'rejected', 'rejected', 'created']);
    expect(r.results[1].reason).toMatch(/hostname or an address/);
    expect(r.results[4].reason).toBe('networkId: network not found');
    expect(r.results[5].reason).toMatch(/unknown team: XX/);
  });

  it('answers a hidden network, host or indicator exactly like a missing one, and keeps items no wider than what they refer to', async () => {
    const secret = await ok('alice', createNetwork, { name: 'secret', tlp: 'AMBER+STRICT' });
    const missing = await fail('ben', createHost, { networkId: 'nope', hostname: 'x' });
    const hidden = await fail('ben', createHost, { networkId: secret.network.id, hostname: 'x' });
    expect(hidden.error).toEqual(missing.error);
    expect(hidden.error.code).toBe('not_found');

    const { network } = await ok('alice', createNetwork, { name: 'CA and US', tlp: 'RED', releasableTo: ['CA'] });
    // Without a marking the host takes its network's, plus the network's owner team.
    const { host } = await ok('ben', createHost, { networkId: network.id, hostname: 'mail01' });
    expect(host).toMatchObject({ tlp: 'RED', releasableTo: ['CA', 'US'] });
    const wide = await fail('ben', createHost, { networkId: network.id, hostname: 'web01', tlp: 'AMBER', releasableTo: [] });
    expect(wide.error).toMatchObject({ code: 'validation_failed', fields: { 'payload.releasableTo': expect.stringContaining('LV would see it but not its network') } });

    const strictIoc = await ok('alice', createIndicator, { type: 'domain', value: 'strict-c2.example', tlp: 'AMBER+STRICT' });
    const f1 = await fail('ben', createFinding, { hostId: host.id, kind: 'malware', title: 'x', indicatorIds: [strictIoc.indicator.id] });
    const f2 = await fail('ben', createFinding, { hostId: host.id, kind: 'malware', title: 'x', indicatorIds: ['no-such-indicator'] });
    expect(f1.error).toEqual(f2.error);
    expect(f1.error.code).toBe('not_found');
    expect(await fail('liga', createFinding, { hostId: host.id, kind: 'malware', title: 'x' })).toMatchObject({ error: { code: 'not_found', message: 'host not found' } });
  });

  it('records a sighting of each indicator linked to a finding, naming only the finding', async () => {
    const { network } = await ok('alice', createNetwork, { name: 'N' });
    const { host } = await ok('ben', createHost, { networkId: network.id, hostname: 'fs01' });
    const ioc = await ok('alice', createIndicator, { type: 'domain', value: 'c2.example' });
    const ioc2 = await ok('liga', createIndicator, { type: 'ip-dst', value: '198.51.100.7' });
    const { finding } = await ok('ben', createFinding, { hostId: host.id, kind: 'persistence', title: 'Run key', indicatorIds: [ioc.indicator.id], techniques: ['t1547.001'] });
    expect(finding).toMatchObject({ hostId: host.id, networkId: network.id, indicatorIds: [ioc.indicator.id], techniques: ['T1547.001'], status: 'open' });
    let detail = await getIndicator(kit.db, kit.accounts.alice, kit.workspaceId, ioc.indicator.id);
    expect(detail.sightings).toMatchObject([{ team: { code: 'CA' }, context: `hunt finding ${finding.id}` }]);
    // A second link sights only the new indicator.
    await ok('ben', updateFinding, { id: finding.id, indicatorIds: [ioc.indicator.id, ioc2.indicator.id] });
    detail = await getIndicator(kit.db, kit.accounts.alice, kit.workspaceId, ioc.indicator.id);
    expect(detail.sightings).toHaveLength(1);
    expect((await getIndicator(kit.db, kit.accounts.alice, kit.workspaceId, ioc2.indicator.id)).sightings).toHaveLength(1);
    // The lookup other parts use answers by visibility.
    expect((await visibleFinding(kit.db, kit.accounts.liga, kit.workspaceId, finding.id)).finding.title).toBe('Run key');
    await ok('ben', updateFinding, { id: finding.id, tlp: 'RED', releasableTo: ['CA'] });
    await expect(visibleFinding(kit.db, kit.accounts.liga, kit.workspaceId, finding.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('changes a timeline event under the same rules as a new one, keeping its id, owner and time zone', async () => {
    const { network } = await ok('alice', createNetwork, { name: 'T' });
    const { host } = await ok('ben', createHost, { networkId: network.id, hostname: 'ev-host', tlp: 'AMBER', releasableTo: ['CA', 'US'] });
    const { event } = await ok('ben', createTimelineEvent, { at: '2026-11-04T09:00:00+03:00', hostId: host.id, description: 'logon', sourceTimeZone: 'Europe/Riga' });
    expect(event).toMatchObject({
      at: '2026-11-04T06:00:00.000Z',
      sourceTimeZone: 'Europe/Riga',
      tlp: 'AMBER',
      releasableTo: ['CA', 'US'],
      team: { code: 'CA' },
      networkId: network.id,
    });
    const { event: edited } = await ok('alice', updateTimelineEvent, { id: event.id, description: 'interactive logon', techniques: ['T1078'] });
    expect(edited).toMatchObject({
      id: event.id,
      ownerTeam: { code: 'CA' },
      description: 'interactive logon',
      techniques: ['T1078'],
      sourceTimeZone: 'Europe/Riga',
      createdAt: event.createdAt,
    });
    expect(edited.updatedSeq).toBeGreaterThan(event.updatedSeq);
    // A hunter files events for its own team only; a workspace owner may file one for another team.
    expect(await fail('ben', updateTimelineEvent, { id: event.id, team: 'LV' })).toMatchObject({
      error: { code: 'validation_failed', fields: { 'payload.team': expect.any(String) } },
    });
    expect((await ok('alice', updateTimelineEvent, { id: event.id, team: 'LV' })).event.team.code).toBe('LV');
    // Wider than its host: refused; without the host: allowed.
    expect(await fail('ben', updateTimelineEvent, { id: event.id, releasableTo: [] })).toMatchObject({ error: { code: 'validation_failed' } });
    expect((await ok('ben', updateTimelineEvent, { id: event.id, hostId: null, releasableTo: [] })).event).toMatchObject({ hostId: null, networkId: null, releasableTo: [] });
    // Linking a finding LV may not see answers like a missing one.
    const { finding } = await ok('ben', createFinding, { hostId: host.id, kind: 'other', title: 'f' });
    const hidden = await fail('liga', updateTimelineEvent, { id: event.id, findingIds: [finding.id] });
    const missing = await fail('liga', updateTimelineEvent, { id: event.id, findingIds: ['nope'] });
    expect(hidden.error).toEqual(missing.error);
    // An unchanged patch records nothing.
    const before = await kit.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM record_events');
    await ok('ben', updateTimelineEvent, { id: event.id, description: 'interactive logon' });
    expect(await kit.db.get('SELECT COUNT(*) AS n FROM record_events')).toEqual(before);
  });

  it('revokes a narrowed item for the teams that lost sight, live log and catch-up alike', async () => {
    const { network } = await ok('alice', createNetwork, { name: 'Wide', rulesOfEngagement: 'no scanning of OT' });
    const syncLv = async () => JSON.stringify(await syncEvents(kit.ctx, kit.accounts.liga, { workspaceId: kit.workspaceId, sinceSeq: 0 }));
    expect(await syncLv()).toContain('no scanning of OT');
    expect(await fail('ben', updateNetwork, { id: network.id, tlp: 'RED' })).toMatchObject({ error: { code: 'forbidden' } });
    await ok('alice', updateNetwork, { id: network.id, tlp: 'RED', releasableTo: ['CA'] });
    const lv = await syncLv();
    expect(lv).not.toContain('no scanning of OT');
    expect(lv).toContain('network:revoked');
    const ca = JSON.stringify(await syncEvents(kit.ctx, kit.accounts.ben, { workspaceId: kit.workspaceId, sinceSeq: 0 }));
    expect(ca).toContain('no scanning of OT');
    expect(ca).not.toContain('network:revoked');
    // Narrowing a parent narrows what hangs from it, down the tree, and LV loses all of it.
    const wide = await ok('alice', createNetwork, { name: 'Parent' });
    const child = await ok('ben', createHost, { networkId: wide.network.id, hostname: 'child' });
    const f1 = await ok('ben', createFinding, { hostId: child.host.id, kind: 'malware', title: 'first-zq' });
    const f2 = await ok('alice', createFinding, { hostId: child.host.id, kind: 'persistence', title: 'second-zq', relatedFindingIds: [f1.finding.id] });
    // Related both ways: the walk must end.
    await ok('ben', updateFinding, { id: f1.finding.id, relatedFindingIds: [f2.finding.id] });
    const ev = await ok('alice', createTimelineEvent, { at: '2026-11-05T10:00:00Z', description: 'event-zq', hostId: child.host.id, findingIds: [f1.finding.id] });
    const narrowed = await ok('alice', updateNetwork, { id: wide.network.id, tlp: 'RED', releasableTo: ['CA'] });
    expect(narrowed.narrowedChildren).toEqual([
      { kind: 'host', id: child.host.id },
      { kind: 'finding', id: f1.finding.id },
      { kind: 'finding', id: f2.finding.id },
      { kind: 'timeline', id: ev.event.id },
    ]);
    const after = await ok('ben', updateHost, { id: child.host.id, notes: 'still mine' });
    expect(after.host).toMatchObject({ tlp: 'RED', releasableTo: ['CA', 'US'] });
    expect(await visibleFinding(kit.db, kit.accounts.liga, kit.workspaceId, f2.finding.id).catch((e: Error) => e.message)).toBe('finding not found');
    const lvSync = await syncEvents(kit.ctx, kit.accounts.liga, { workspaceId: kit.workspaceId, sinceSeq: 0 });
    const lvNow = JSON.parse(JSON.stringify('events' in lvSync ? lvSync.events : [])) as Array<{ type: string }>;
    const lvText = JSON.stringify(lvNow);
    for (const needle of ['first-zq', 'second-zq', 'event-zq', '"hostname":"child"']) expect(lvText).not.toContain(needle);
    for (const type of ['host:revoked', 'finding:revoked', 'timeline:revoked']) expect(lvNow.some((e) => e.type === type)).toBe(true);
    expect((await ok('alice', updateNetwork, { id: wide.network.id, partner: 'x' })).narrowedChildren).toBeUndefined();
    // A team's own item cannot be hidden from it: narrowing the network away from LV, which has a host
    // on it, is refused naming that host, and nothing changes.
    const shared = await ok('alice', createNetwork, { name: 'Shared' });
    await ok('liga', createHost, { networkId: shared.network.id, hostname: 'lv-box' });
    const seq = (await syncEvents(kit.ctx, kit.accounts.alice, { workspaceId: kit.workspaceId, sinceSeq: 0 })).seq;
    const refused = await fail('alice', updateNetwork, { id: shared.network.id, tlp: 'AMBER', releasableTo: ['CA'] });
    expect(refused.error.code).toBe('conflict');
    expect(refused.error.message).toContain('LV would lose sight of it but keeps seeing its own host "lv-box"');
    expect((await syncEvents(kit.ctx, kit.accounts.alice, { workspaceId: kit.workspaceId, sinceSeq: 0 })).seq).toBe(seq);
    // A network with hosts is not deleted under them.
    await ok('ben', createHost, { networkId: network.id, hostname: 'h' });
    expect(await fail('alice', deleteNetwork, { id: network.id })).toMatchObject({ error: { code: 'conflict' } });
  });
});

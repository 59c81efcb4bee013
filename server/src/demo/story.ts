/**
 * The demo hunt's record-plane story, told through the app's own commands (run.ts) at times spread
 * over the last six days, with a busy last hour so the Overview has something to say at once:
 * - about 300 indicators of three teams in batches, in several states and types, with markings that
 *   differ by team (CA keeps some to itself, US shares some with LV only);
 * - the same values reported by another team (sightings), sightings with context, comments;
 * - a hunt operation: two networks, hosts in every state, a finding and timeline events.
 */
import type { Db } from '../storage/db.js';
import { addComment, addSighting, bulkCreateIndicators } from '../indicators/service.js';
import { updateIndicator } from '../indicators/changes.js';
import { createNetwork } from '../hunt/networks/commands.js';
import { bulkCreateHosts, updateHost } from '../hunt/hosts/commands.js';
import { createFinding } from '../hunt/findings/commands.js';
import { bulkCreateTimelineEvents } from '../hunt/timeline/commands.js';
import { indicatorsFor, type TeamMarkings } from './indicatorData.js';
import { runAt, type SeedActor } from './run.js';

const ALL = { tlp: 'AMBER' as const, releasableTo: [] as string[] };

const TEAMS: Record<'US' | 'CA' | 'LV', TeamMarkings & { count: number; seed: number; start: number }> = {
  US: {
    count: 130,
    seed: 11,
    start: 1000,
    source: 'US hunt team: DC memory and EDR',
    tags: ['apt-demo', 'dc', 'edr', 'c2'],
    table: [
      [ALL, 70],
      [{ tlp: 'GREEN', releasableTo: [] }, 18],
      [{ tlp: 'AMBER', releasableTo: ['US', 'LV'] }, 12],
    ],
  },
  CA: {
    count: 110,
    seed: 22,
    start: 2000,
    source: 'CA hunt team: mail gateway',
    tags: ['phishing', 'mail', 'workstation', 'apt-demo'],
    table: [
      [ALL, 72],
      [{ tlp: 'GREEN', releasableTo: [] }, 12],
      [{ tlp: 'AMBER', releasableTo: ['CA'] }, 16],
    ],
  },
  LV: {
    count: 70,
    seed: 33,
    start: 3000,
    source: 'CERT.LV: network sensors',
    tags: ['sensor', 'proxy', 'apt-demo'],
    table: [
      [{ tlp: 'GREEN', releasableTo: [] }, 60],
      [ALL, 30],
      [{ tlp: 'AMBER', releasableTo: ['LV', 'US'] }, 10],
    ],
  },
};

export type Clock = (hoursAgo: number) => Date;

async function ids(tx: Db, workspaceId: string, ownerTeamId: string, releasableAll: boolean): Promise<{ id: string; value: string }[]> {
  const where = releasableAll ? " AND releasable_to = '[]' AND tlp IN ('AMBER', 'GREEN', 'CLEAR')" : '';
  return tx.all<{ id: string; value: string }>(`SELECT id, value FROM indicators WHERE workspace_id = ? AND owner_team_id = ?${where} ORDER BY created_seq`, [
    workspaceId,
    ownerTeamId,
  ]);
}

/** Indicators of the three teams, added in batches over six days. */
async function seedIndicators(tx: Db, who: Record<string, SeedActor>, clock: Clock): Promise<void> {
  for (const [code, team] of Object.entries(TEAMS)) {
    const items = indicatorsFor(team.seed, team.start, team.count, team);
    const batches = 8;
    const per = Math.ceil(items.length / batches);
    for (let b = 0; b < batches; b++) {
      // Older batches first; each team reports at its own hours.
      const hoursAgo = 140 - b * 17 - (code === 'CA' ? 5 : code === 'LV' ? 9 : 0);
      await runAt(tx, who[code]!, bulkCreateIndicators, { items: items.slice(b * per, (b + 1) * per) }, clock(hoursAgo));
    }
  }
}

/** What other teams say about indicators: the same values reported again (sightings) and comments. */
async function seedCrossTeam(tx: Db, workspaceId: string, who: Record<string, SeedActor>, clock: Clock): Promise<{ shared: { id: string; value: string }[] }> {
  const us = await ids(tx, workspaceId, who.US!.account.team.id, true);
  const ca = await ids(tx, workspaceId, who.CA!.account.team.id, true);
  // LV's sensors saw a dozen of the US values: the same value added again is a sighting, not a row.
  const again = await tx.all<{ type: string; value: string }>(
    `SELECT type, value FROM indicators WHERE workspace_id = ? AND id IN (${us
      .slice(0, 12)
      .map(() => '?')
      .join(', ')})`,
    [workspaceId, ...us.slice(0, 12).map((i) => i.id)],
  );
  await runAt(tx, who.LV!, bulkCreateIndicators, { items: again.map((r) => ({ type: r.type, value: r.value })) }, clock(30));
  for (const [i, ind] of ca.slice(0, 6).entries()) {
    await runAt(tx, who.US!, addSighting, { indicatorId: ind.id, context: `Seen on DC0${(i % 2) + 1} in the proxy logs`, seenAt: clock(20 + i).toISOString() }, clock(20 + i));
  }
  const comments: [string, { id: string }, string][] = [
    ['CA', us[0]!, 'Same address in the mail gateway logs on 3 messages.'],
    ['LV', us[1]!, 'Our sensor at the regional site saw beaconing every 60 s to this one.'],
    ['US', ca[0]!, 'Confirmed on DC01 memory image: loaded by rundll64.exe.'],
    ['CA', us[2]!, 'Hash matches the second stage we pulled from FIN-WS-014.'],
    ['LV', ca[1]!, 'Resolved to 203.0.113.77 from the ministry resolver.'],
  ];
  for (const [n, [team, ind, body]] of comments.entries()) await runAt(tx, who[team]!, addComment, { indicatorId: ind.id, body }, clock(12 - n));
  return { shared: [...us.slice(0, 4), ...ca.slice(0, 4)] };
}

/** Two networks with hosts in every state, a finding, and timeline events by two teams. */
async function seedOperation(tx: Db, who: Record<string, SeedActor>, clock: Clock, shared: { id: string }[]): Promise<string[]> {
  const period = { periodFrom: clock(150).toISOString(), periodTo: new Date(clock(0).getTime() + 7 * 86_400_000).toISOString() };
  const hq = await runAt(
    tx,
    who.US!,
    createNetwork,
    {
      name: 'MINFIN-HQ',
      partner: 'Ministry of Finance (demo)',
      huntingTeam: 'US',
      rulesOfEngagement: 'Read-only collection; no containment without the duty officer.',
      ...period,
      ...ALL,
    },
    clock(150),
  );
  const regional = await runAt(
    tx,
    who.CA!,
    createNetwork,
    { name: 'Regional sites', partner: 'Ministry of Finance (demo)', huntingTeam: 'CA', rulesOfEngagement: 'Workstations only, business hours.', ...period, ...ALL },
    clock(148),
  );
  const hostsOf = (prefix: string, net: string, octet: string, states: string[]) =>
    states.map((state, i) => ({
      networkId: net,
      hostname: `${prefix}-${String(i + 1).padStart(3, '0')}.minfin.example`,
      addresses: [`${octet}.${i + 10}`],
      role: i < 2 && prefix === 'DC' ? 'domain-controller' : prefix === 'FIN-WS' ? 'workstation' : 'server',
      os: prefix === 'FIN-WS' ? 'Windows 11 23H2' : 'Windows Server 2022',
      criticality: i < 2 ? 'high' : 'medium',
      state,
    }));
  // DC-008 is cleaned up later (a host is remediated only after it was found compromised).
  const hqStates = ['compromised', 'suspicious', 'examined-clean', 'examined-clean', 'not-examined', 'not-examined', 'examined-clean', 'compromised'];
  const wsStates = [
    'suspicious',
    'examined-clean',
    'examined-clean',
    'not-examined',
    'not-examined',
    'not-examined',
    'compromised',
    'examined-clean',
    'not-examined',
    'examined-clean',
  ];
  await runAt(tx, who.US!, bulkCreateHosts, { items: hostsOf('DC', hq.network.id, '192.0.2', hqStates) }, clock(146));
  await runAt(tx, who.CA!, bulkCreateHosts, { items: hostsOf('FIN-WS', regional.network.id, '198.51.100', wsStates) }, clock(144));
  const dc01 = await tx.get<{ id: string }>("SELECT id FROM hunt_hosts WHERE lower(hostname) = 'dc-001.minfin.example'");
  const ws003 = await tx.get<{ id: string }>("SELECT id FROM hunt_hosts WHERE lower(hostname) = 'fin-ws-003.minfin.example'");
  const dc08 = await tx.get<{ id: string }>("SELECT id FROM hunt_hosts WHERE lower(hostname) = 'dc-008.minfin.example'");
  if (dc08) await runAt(tx, who.US!, updateHost, { id: dc08.id, state: 'remediated' }, clock(40));
  if (dc01) {
    await runAt(
      tx,
      who.US!,
      createFinding,
      {
        hostId: dc01.id,
        kind: 'credential-theft',
        severity: 'critical',
        status: 'confirmed',
        title: 'LSASS dumped by rundll64.exe',
        description: 'Memory image shows a MiniDump of lsass.exe written to C:\\Windows\\Temp\\wct. Reset krbtgt twice after containment.',
        techniques: ['T1003.001'],
        indicatorIds: shared.slice(0, 2).map((s) => s.id),
        ...ALL,
      },
      clock(26),
    );
  }
  const events = [
    [96, 'CA', 'First invoice lure delivered to the finance department', ['T1566.001'], undefined],
    [95, 'CA', 'msupdate.ps1 started by invoice_2026.lnk on FIN-WS-007', ['T1059.001'], undefined],
    [70, 'US', 'Beaconing to 198.51.100.23 every 60 s from DC01', ['T1071.001'], dc01?.id],
    [49, 'US', 'LSASS access by rundll64.exe on DC01', ['T1003.001'], dc01?.id],
    [30, 'US', 'SMB session DC01 -> FIN-WS-003 with a service install', ['T1021.002'], dc01?.id],
    [0.6, 'CA', 'FIN-WS-003 isolated by the ministry duty officer', [], ws003?.id],
  ] as const;
  for (const team of ['US', 'CA'] as const) {
    const items = events
      .filter((e) => e[1] === team)
      .map(([h, , description, techniques, hostId]) => ({
        at: clock(h).toISOString(),
        description,
        source: team === 'US' ? 'EDR' : 'Mail gateway / EDR',
        techniques: [...techniques],
        ...(hostId ? { hostId } : {}),
        ...ALL,
      }));
    await runAt(tx, who[team]!, bulkCreateTimelineEvents, { items }, clock(team === 'US' ? 25 : 0.5));
  }
  return [dc01?.id, ws003?.id].filter((x): x is string => !!x);
}

/** The last hour: status changes, a host examined, a new indicator: what the Overview's activity shows. */
async function seedLastHour(tx: Db, workspaceId: string, who: Record<string, SeedActor>, clock: Clock, hosts: string[]): Promise<void> {
  const fresh = await tx.all<{ id: string; owner_team_id: string }>(
    "SELECT id, owner_team_id FROM indicators WHERE workspace_id = ? AND status IN ('new', 'investigating') AND releasable_to = '[]' ORDER BY created_seq LIMIT 40",
    [workspaceId],
  );
  const byTeam = (code: string) => fresh.filter((f) => f.owner_team_id === who[code]!.account.team.id);
  const steps: [string, string, string][] = [
    ...byTeam('US')
      .slice(0, 4)
      .map((f) => ['US', f.id, 'confirmed'] as [string, string, string]),
    ...byTeam('CA')
      .slice(0, 3)
      .map((f) => ['CA', f.id, 'confirmed'] as [string, string, string]),
    ...byTeam('LV')
      .slice(0, 2)
      .map((f) => ['LV', f.id, 'false-positive'] as [string, string, string]),
  ];
  for (const [n, [team, id, status]] of steps.entries()) await runAt(tx, who[team]!, updateIndicator, { id, status }, clock(0.9 - n * 0.08));
  if (hosts[1]) await runAt(tx, who.CA!, updateHost, { id: hosts[1], state: 'compromised' }, clock(0.4));
  await runAt(
    tx,
    who.LV!,
    bulkCreateIndicators,
    { items: [{ type: 'domain', value: 'secure-login-minfin.example.net', status: 'new', tlp: 'AMBER', source: 'CERT.LV: passive DNS', techniques: ['T1566.002'] }] },
    clock(0.2),
  );
}

/** `who`: each team's demo account with the workspace as that account sees it (its role). */
export async function seedStory(tx: Db, workspaceId: string, who: Record<string, SeedActor>, clock: Clock): Promise<{ boardIndicator?: string }> {
  await seedIndicators(tx, who, clock);
  const { shared } = await seedCrossTeam(tx, workspaceId, who, clock);
  const hosts = await seedOperation(tx, who, clock, shared);
  await seedLastHour(tx, workspaceId, who, clock, hosts);
  return shared[0] ? { boardIndicator: shared[0].id } : {};
}

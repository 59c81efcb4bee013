/**
 * The hunt operation's sections of the handoff report: networks, hosts by state, findings (with their
 * linked indicators, techniques and samples' hashes, never a sample's content) and the hunt timeline in
 * UTC with each event's source time zone. Everything here was filtered by collectForRecipient; a
 * reference to an item not in the export (a host under a network narrowed later, an indicator the
 * recipient may not see) is shown as a dash or left out, never resolved from elsewhere.
 */
import { defang, HOST_STATES, type HuntItemBase } from '@huntroom/shared';
import type { HandoffData } from '../collect.js';
import type { Section } from './report.js';

const when = (iso: string | null) => (iso ? `${iso.slice(0, 19).replace('T', ' ')} UTC` : '');
const marking = (i: HuntItemBase) => (i.releasableTo.length ? `${i.tlp} (${i.releasableTo.join(' ')})` : i.tlp);

/** Names of what the export holds, by id: the only way a row names another item. */
export function huntNames(data: HandoffData) {
  const { hunt } = data;
  return {
    network: new Map(hunt.networks.map((n) => [n.id, n.name])),
    host: new Map(hunt.hosts.map((h) => [h.id, h.hostname])),
    finding: new Map(hunt.findings.map((f) => [f.id, f.title])),
    indicator: new Map(data.indicators.map((i) => [i.id, i])),
  };
}

export function huntSummary(data: HandoffData): string | undefined {
  const { hunt } = data;
  if (!hunt.networks.length && !hunt.hosts.length && !hunt.findings.length && !hunt.timeline.length) return undefined;
  const states = HOST_STATES.map((s) => [s, hunt.hosts.filter((h) => h.state === s).length] as const).filter(([, n]) => n > 0);
  return `Hunt: ${hunt.networks.length} networks, ${hunt.hosts.length} hosts (${states.map(([s, n]) => `${n} ${s}`).join(', ') || 'none'}), ${hunt.findings.length} findings, ${hunt.timeline.length} timeline events.`;
}

export function huntSections(data: HandoffData): Section[] {
  const { hunt } = data;
  const names = huntNames(data);
  const sections: Section[] = [];
  if (hunt.networks.length) {
    sections.push({
      title: `Networks (${hunt.networks.length})`,
      table: {
        head: ['Network', 'Partner', 'Hunting team', 'Period', 'Rules of engagement', 'TLP'],
        rows: hunt.networks.map((n) => [
          n.name,
          n.partner,
          n.huntingTeam?.code ?? '',
          [n.periodFrom, n.periodTo].map((d) => d ?? '…').join(' – '),
          n.rulesOfEngagement,
          marking(n),
        ]),
      },
    });
  }
  for (const state of HOST_STATES) {
    const hosts = hunt.hosts.filter((h) => h.state === state);
    if (!hosts.length) continue;
    sections.push({
      title: `Hosts: ${state} (${hosts.length})`,
      sub: true,
      table: {
        head: ['Host', 'Addresses', 'Network', 'OS', 'Role', 'Criticality', 'Examined by', 'Examined at', 'TLP'],
        rows: hosts.map((h) => [
          h.hostname,
          h.addresses.join(' '),
          names.network.get(h.networkId) ?? '—',
          h.os,
          h.role,
          h.criticality,
          h.examinedBy?.code ?? '',
          when(h.examinedAt),
          marking(h),
        ]),
      },
    });
  }
  if (hunt.findings.length) {
    sections.push({
      title: `Findings (${hunt.findings.length})`,
      table: {
        head: ['Host', 'Finding', 'Kind', 'Severity', 'Status', 'Indicators', 'ATT&CK', 'Samples (SHA-256)', 'Team', 'TLP'],
        rows: hunt.findings.map((f) => [
          names.host.get(f.hostId) ?? '—',
          f.description ? `${f.title}: ${f.description}` : f.title,
          f.kind,
          f.severity,
          f.status,
          f.indicatorIds.flatMap((id) => (names.indicator.has(id) ? [defang(names.indicator.get(id)!.value)] : [])).join(' '),
          f.techniques.join(' '),
          (hunt.samples[f.id] ?? []).map((s) => `${s.sha256} (${s.filename}, ${s.size} bytes)`).join(' '),
          f.ownerTeam.code,
          marking(f),
        ]),
      },
    });
  }
  if (hunt.timeline.length) {
    sections.push({
      title: `Hunt timeline (${hunt.timeline.length})`,
      text: ['Times in UTC; the zone the source wrote them in is kept beside each.'],
      table: {
        head: ['When (UTC)', 'Source zone', 'Host', 'Team', 'What', 'Source', 'ATT&CK', 'TLP'],
        rows: hunt.timeline.map((e) => [
          when(e.at),
          e.sourceTimeZone,
          e.hostId ? (names.host.get(e.hostId) ?? '—') : '',
          e.team.code,
          e.description,
          e.source,
          e.techniques.join(' '),
          marking(e),
        ]),
      },
    });
  }
  return sections;
}

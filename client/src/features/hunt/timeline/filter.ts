/**
 * The timeline's filters (network, host, team, technique, time range, text) over the events the team
 * sees, oldest first. Pure and linear, so 50,000 events filter in a few milliseconds per keystroke.
 */
import type { TimelineEventView } from '@huntroom/shared';

export interface TimelineFilters {
  network: string;
  host: string;
  /** Team code. */
  team: string;
  technique: string;
  /** ISO instants or empty. */
  from: string;
  to: string;
  q: string;
}

export const NO_TIMELINE_FILTERS: TimelineFilters = { network: '', host: '', team: '', technique: '', from: '', to: '', q: '' };

export function filterTimeline(events: readonly TimelineEventView[], f: TimelineFilters, hostNames: ReadonlyMap<string, string>): TimelineEventView[] {
  const q = f.q.trim().toLowerCase();
  const technique = f.technique.trim().toUpperCase();
  const from = f.from ? Date.parse(f.from) : -Infinity;
  const to = f.to ? Date.parse(f.to) : Infinity;
  const out = events.filter((e) => {
    if (f.network && e.networkId !== f.network) return false;
    if (f.host && e.hostId !== f.host) return false;
    if (f.team && e.team.code !== f.team) return false;
    if (technique && !e.techniques.some((t) => t === technique || t.startsWith(`${technique}.`))) return false;
    const at = Date.parse(e.at);
    if (at < from || at > to) return false;
    if (q && !`${e.description}\n${e.source}\n${e.hostId ? (hostNames.get(e.hostId) ?? '') : ''}`.toLowerCase().includes(q)) return false;
    return true;
  });
  return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : 1));
}

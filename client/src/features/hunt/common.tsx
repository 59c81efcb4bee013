/** Small pieces the hunt screens share: team colours, the host state badge, running a command. */
import { useMemo, useState, useSyncExternalStore } from 'react';
import type { CommandAck, HostState, Team } from '@huntroom/shared';
import { useTeamList } from '../../components/MarkingEditor.js';
import { ackError } from '../indicators/commands.js';
import type { ApiError } from '../../lib/api.js';

/** Team colours by id and by code (wire views name teams by {id, code}; the colour is on /api/teams). */
export function useTeams(): { byId: Map<string, Team>; byCode: Map<string, Team>; list: Team[] } {
  const teams = useTeamList();
  return useMemo(() => {
    const list = teams.data ?? [];
    return { list, byId: new Map(list.map((t) => [t.id, t])), byCode: new Map(list.map((t) => [t.code, t])) };
  }, [teams.data]);
}

export const colorOf = (teams: Map<string, Team>, id: string | undefined, fallback = '#8a94a6') => (id && teams.get(id)?.color) || fallback;

/** Host states in the order a hunt moves through them, with a colour each (also the coverage legend); each colour carries white text at WCAG AA (4.5:1). */
export const STATE_STYLE: Record<HostState, { label: string; color: string }> = {
  'not-examined': { label: 'Not examined', color: '#636d7e' },
  'examined-clean': { label: 'Examined clean', color: '#2e8540' },
  suspicious: { label: 'Suspicious', color: '#a35f00' },
  compromised: { label: 'Compromised', color: '#c62828' },
  remediated: { label: 'Remediated', color: '#1f6fb2' },
};

export function StateBadge({ state }: { state: HostState }) {
  const s = STATE_STYLE[state];
  return (
    <span className="hunt-state" style={{ background: s.color }} data-state={state}>
      {s.label}
    </span>
  );
}

/** Runs a record-plane command and keeps its error for an ErrorBanner. */
export function useCommand(command: <T>(type: string, payload: Record<string, unknown>) => Promise<CommandAck<T>>) {
  const [error, setError] = useState<ApiError>();
  async function run<T = unknown>(type: string, payload: Record<string, unknown>): Promise<T | undefined> {
    setError(undefined);
    const ack = await command<T>(type, payload);
    if (!ack.ok) {
      setError(ackError(ack));
      return undefined;
    }
    return ack.data;
  }
  return { run, error, setError };
}

/** `2026-11-28T10:00:00.000Z` as the reader's local date and time, short. */
export const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '');

/** A datetime-local input's value from an ISO instant, and back (the browser's zone). */
export const toLocalInput = (iso: string | null | undefined) => {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
export const fromLocalInput = (v: string) => (v ? new Date(v).toISOString() : undefined);

/** True on a phone-width screen (the tables drop their secondary columns). */
const NARROW = '(max-width: 700px)';
export function useNarrow(): boolean {
  return useSyncExternalStore(
    (fn) => {
      const m = window.matchMedia(NARROW);
      m.addEventListener('change', fn);
      return () => m.removeEventListener('change', fn);
    },
    () => window.matchMedia(NARROW).matches,
  );
}

/** Owners and hunters write; observers and handoff guests read (the server refuses them anyway). */
export const canWrite = (role: string) => role === 'owner' || role === 'hunter';

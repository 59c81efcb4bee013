/**
 * Which host state may follow which (issue 18, item 2). A host starts not examined; examining it ends
 * in clean, suspicious or compromised; a compromised host is remediated before it can count as clean
 * again, so "compromised -> clean" (a finding forgotten) is refused, and nothing goes back to "not
 * examined" (someone looked: that stays known). The server checks every change with this table.
 */
import type { HostState } from './enums.js';

export const HOST_TRANSITIONS: Readonly<Record<HostState, readonly HostState[]>> = {
  'not-examined': ['examined-clean', 'suspicious', 'compromised'],
  'examined-clean': ['suspicious', 'compromised'],
  suspicious: ['examined-clean', 'compromised'],
  compromised: ['remediated'],
  remediated: ['examined-clean', 'suspicious', 'compromised'],
};

/** Null when `from -> to` is allowed (staying put is no change), else why not, for the error message. */
export function hostTransitionError(from: HostState, to: HostState): string | null {
  if (from === to) return null;
  if (HOST_TRANSITIONS[from].includes(to)) return null;
  const allowed = HOST_TRANSITIONS[from];
  return `a host cannot go from ${from} to ${to}${allowed.length ? ` (from ${from}: ${allowed.join(', ')})` : ''}`;
}

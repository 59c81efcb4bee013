/**
 * What a hosts import will do, judged in the browser before anything is sent: each host read from the
 * file is new, merges into a host of the network the team sees (same hostname, no case or trailing
 * dot, or a shared address, as the server's bulk command decides), or repeats a host earlier in the
 * same file (the server merges it into that one). The server decides again on commit; a host hidden
 * from the team can still turn a "new" here into a merge there.
 */
import { hostnameKey, type HostView, type ImportedHost } from '@huntroom/shared';

export type PlannedOutcome = { kind: 'new' } | { kind: 'merge'; into: string } | { kind: 'repeat'; row: number };

export interface HostPlan {
  outcomes: PlannedOutcome[];
  created: number;
  merged: number;
}

export function planHosts(read: readonly (ImportedHost & { row: number })[], existing: readonly HostView[]): HostPlan {
  const byName = new Map<string, string>();
  const byAddress = new Map<string, string>();
  for (const h of existing) {
    const label = h.hostname || h.addresses[0] || h.id;
    if (h.hostname) byName.set(hostnameKey(h.hostname), label);
    for (const a of h.addresses) byAddress.set(a, label);
  }
  const seenName = new Map<string, number>();
  const seenAddress = new Map<string, number>();
  let created = 0;
  let merged = 0;
  const outcomes = read.map((h): PlannedOutcome => {
    const name = h.hostname ? hostnameKey(h.hostname) : '';
    const into = (name && byName.get(name)) || h.addresses.map((a) => byAddress.get(a)).find(Boolean);
    const earlier = (name ? seenName.get(name) : undefined) ?? h.addresses.map((a) => seenAddress.get(a)).find((r) => r !== undefined);
    if (name && !seenName.has(name)) seenName.set(name, h.row);
    for (const a of h.addresses) if (!seenAddress.has(a)) seenAddress.set(a, h.row);
    if (into) {
      merged++;
      return { kind: 'merge', into };
    }
    if (earlier !== undefined) {
      merged++;
      return { kind: 'repeat', row: earlier };
    }
    created++;
    return { kind: 'new' };
  });
  return { outcomes, created, merged };
}

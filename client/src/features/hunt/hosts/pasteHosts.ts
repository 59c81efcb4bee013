/**
 * A pasted host list, one host per line: a name, an address, or both in any order ("dc01 10.0.0.5",
 * "10.0.0.7", "mail.partner.example, 10.0.1.2, fe80::1"). Tokens that are IP or MAC addresses are the
 * addresses; the first other token is the hostname. A line with two names is refused with its reason
 * rather than guessed; the server deduplicates against the hosts already in the network.
 */
import { canonicalAddress } from '@huntroom/shared';

export interface PastedHost {
  line: number;
  hostname?: string;
  addresses: string[];
}
export interface PasteResult {
  hosts: PastedHost[];
  refused: { line: number; text: string; reason: string }[];
}

export function parsePastedHosts(text: string): PasteResult {
  const hosts: PastedHost[] = [];
  const refused: PasteResult['refused'] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    const names: string[] = [];
    const addresses: string[] = [];
    for (const token of line.split(/[\s,;]+/).filter(Boolean)) {
      const a = canonicalAddress(token);
      if (a) {
        if (!addresses.includes(a)) addresses.push(a);
      } else names.push(token);
    }
    if (names.length > 1) refused.push({ line: i + 1, text: raw, reason: `two names (${names.slice(0, 2).join(', ')}): one host per line` });
    else if (names[0] && !/^[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?\.?$/i.test(names[0]))
      refused.push({ line: i + 1, text: raw, reason: `"${names[0]}" is neither a host name nor an address` });
    else hosts.push({ line: i + 1, ...(names[0] ? { hostname: names[0] } : {}), addresses });
  });
  return { hosts, refused };
}

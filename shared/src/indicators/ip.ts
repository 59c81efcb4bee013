/** IPv4/IPv6 parsing into canonical text (RFC 5952 for IPv6), and CIDR checks. */

/** Canonical dotted quad, or undefined. Leading zeros are refused: 010.1.1.1 is octal to some tools. */
export function canonicalIPv4(s: string): string | undefined {
  // One pass over the characters, no split or regex: extraction normalizes every address of a paste
  // (100,000 in a megabyte), so this is on the hot path.
  if (s.length < 7 || s.length > 15) return undefined;
  let parts = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i === s.length ? 46 : s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || value > 255 || ++parts > 4) return undefined;
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits === 1 && value === 0) return undefined; // a leading zero: octal to some tools
      value = value * 10 + (c - 48);
      if (++digits > 3) return undefined;
    } else return undefined;
  }
  return parts === 4 ? s : undefined;
}

/** The eight 16-bit groups of an IPv6 address, or undefined. Accepts an embedded IPv4 tail. */
function ipv6Groups(s: string): number[] | undefined {
  let text = s.toLowerCase();
  if (text.includes('%')) return undefined; // zone ids are local to one host: not an indicator
  const lastColon = text.lastIndexOf(':');
  if (lastColon === -1) return undefined;
  if (text.slice(lastColon + 1).includes('.')) {
    // An embedded IPv4 tail (::ffff:1.2.3.4) is two groups written in dotted form.
    const v4 = canonicalIPv4(text.slice(lastColon + 1));
    if (!v4) return undefined;
    const o = v4.split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (h: string) => (h === '' ? [] : h.split(':'));
  const head = parse(halves[0]!);
  const back = halves.length === 2 ? parse(halves[1]!) : [];
  if ([...head, ...back].some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return undefined;
  const known = head.length + back.length;
  if (halves.length === 1 ? known !== 8 : known > 7) return undefined;
  const zeros = new Array<number>(8 - known).fill(0);
  return [...head, ...zeros.map(String), ...back].map((g) => parseInt(g, 16));
}

/** RFC 5952: lower case, no leading zeros, the longest run (2+) of zero groups compressed, first on ties. */
export function canonicalIPv6(s: string): string | undefined {
  const g = ipv6Groups(s);
  if (!g) return undefined;
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) [bestStart, bestLen] = [i, j - i];
    i = j;
  }
  const hex = g.map((n) => n.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** `{ ip, port? }` from "1.2.3.4", "1.2.3.4:443", "[2001:db8::1]:443" or a bare IPv6 address. */
export function parseIpWithPort(s: string): { ip: string; v: 4 | 6; port?: number } | { error: string } {
  let host = s;
  let port: string | undefined;
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (bracket) [host, port] = [bracket[1]!, bracket[2]];
  else if (/^[\d.]+:\d+$/.test(s)) [host, port] = s.split(':') as [string, string];
  if (port !== undefined && (!/^\d{1,5}$/.test(port) || Number(port) > 65535 || Number(port) === 0)) return { error: `port ${port} is out of range (1-65535)` };
  const v4 = canonicalIPv4(host);
  if (v4) return { ip: v4, v: 4, ...(port ? { port: Number(port) } : {}) };
  const v6 = canonicalIPv6(host);
  if (v6) return { ip: v6, v: 6, ...(port ? { port: Number(port) } : {}) };
  return { error: 'not an IPv4 or IPv6 address' };
}

export function formatIpWithPort(ip: string, v: 4 | 6, port?: number): string {
  if (port === undefined) return ip;
  return v === 6 ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** The IPv4 address as a 32-bit number, for range checks. */
export function ipv4ToInt(ip: string): number {
  let n = 0;
  let octet = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 46) {
      n = n * 256 + octet;
      octet = 0;
    } else octet = octet * 10 + (c - 48);
  }
  return n * 256 + octet;
}

/** Groups of an IPv6 address (already valid), for range checks. */
export const ipv6ToGroups = (ip: string): number[] => ipv6Groups(ip) ?? [];

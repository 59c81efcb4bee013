/**
 * How hosts are recognised as the same within a network (issue 18, item 2): by hostname, compared
 * without case or a trailing dot, or by any shared address, compared in canonical form (IPv4 as the
 * indicator library writes it, IPv6 compressed and lower-case, MAC addresses lower-case with colons).
 */
import { canonicalIPv4, canonicalIPv6 } from '../indicators/ip.js';

export const hostnameKey = (hostname: string): string => hostname.trim().replace(/\.$/, '').toLowerCase();

/** The canonical form of an address, or null when it is neither an IP nor a MAC address. */
export function canonicalAddress(raw: string): string | null {
  const a = raw.trim();
  const v4 = canonicalIPv4(a);
  if (v4) return v4;
  const v6 = canonicalIPv6(a.replace(/^\[|\]$/g, ''));
  if (v6) return v6;
  if (/^[0-9a-f]{2}([:-][0-9a-f]{2}){5}$/i.test(a)) return a.toLowerCase().replace(/-/g, ':');
  return null;
}

/** True when two hosts are the same by name or by any address (keys already normalized). */
export function sameHost(a: { hostname: string; addresses: readonly string[] }, b: { hostname: string; addresses: readonly string[] }): boolean {
  if (a.hostname && a.hostname === b.hostname) return true;
  return a.addresses.some((x) => b.addresses.includes(x));
}

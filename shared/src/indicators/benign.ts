/**
 * Known-benign values: worth a warning in the import preview, since they are almost never evidence
 * (private and reserved ranges, documentation ranges, loopback, very common domains, empty-file hashes).
 */
import { ipv4ToInt, ipv6ToGroups } from './ip.js';

const V4_RANGES: [string, number, string][] = [
  ['0.0.0.0', 8, 'reserved ("this network")'],
  ['10.0.0.0', 8, 'private range (RFC 1918)'],
  ['100.64.0.0', 10, 'carrier-grade NAT range'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private range (RFC 1918)'],
  ['192.0.2.0', 24, 'documentation range (RFC 5737)'],
  ['192.168.0.0', 16, 'private range (RFC 1918)'],
  ['198.18.0.0', 15, 'benchmarking range'],
  ['198.51.100.0', 24, 'documentation range (RFC 5737)'],
  ['203.0.113.0', 24, 'documentation range (RFC 5737)'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

const COMMON_DOMAINS = new Set([
  'google.com',
  'www.google.com',
  'gstatic.com',
  'googleapis.com',
  'microsoft.com',
  'www.microsoft.com',
  'windowsupdate.com',
  'windows.com',
  'office.com',
  'office365.com',
  'live.com',
  'outlook.com',
  'bing.com',
  'msftncsi.com',
  'apple.com',
  'icloud.com',
  'amazon.com',
  'amazonaws.com',
  'cloudflare.com',
  'akamai.net',
  'akamaihd.net',
  'github.com',
  'githubusercontent.com',
  'facebook.com',
  'twitter.com',
  'x.com',
  'linkedin.com',
  'youtube.com',
  'wikipedia.org',
  'mozilla.org',
  'digicert.com',
  'verisign.com',
  'symantec.com',
  'adobe.com',
  'example.com',
  'example.org',
  'example.net',
  'localhost',
]);

const EMPTY_HASHES = new Set([
  'd41d8cd98f00b204e9800998ecf8427e',
  'da39a3ee5e6b4b0d3255bfef95601890afd80709',
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e',
]);

// Each range as [first, size, reason], computed once: this runs for every address of a 10 MB paste.
const V4_SPANS = V4_RANGES.map(([net, bits, why]) => [ipv4ToInt(net), 2 ** (32 - bits), why] as const);

function v4Reason(ip: string): string | undefined {
  const n = ipv4ToInt(ip);
  for (const [base, size, why] of V4_SPANS) if (n >= base && n < base + size) return why;
  return ip === '255.255.255.255' ? 'broadcast' : undefined;
}

function v6Reason(ip: string): string | undefined {
  const g = ipv6ToGroups(ip);
  if (g.every((x) => x === 0)) return 'unspecified address';
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return 'loopback';
  if ((g[0]! & 0xffc0) === 0xfe80) return 'link-local';
  if ((g[0]! & 0xfe00) === 0xfc00) return 'unique local (private) range';
  if ((g[0]! & 0xff00) === 0xff00) return 'multicast';
  if (g[0] === 0x2001 && g[1] === 0x0db8) return 'documentation range (RFC 3849)';
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return v4Reason(`${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`);
  return undefined;
}

/** Why a normalized value is probably benign, or undefined. */
export function benignReason(type: string, value: string): string | undefined {
  switch (type) {
    case 'ip-src':
    case 'ip-dst': {
      const ip = value.startsWith('[') ? value.slice(1, value.indexOf(']')) : value.includes('.') ? value.split(':')[0]! : value;
      return ip.includes(':') ? v6Reason(ip) : v4Reason(ip);
    }
    case 'domain':
    case 'hostname': {
      if (value === 'localhost' || value.endsWith('.localhost') || value.endsWith('.local')) return 'local name';
      const parts = value.split('.');
      for (let i = 0; i < parts.length - 1; i++) if (COMMON_DOMAINS.has(parts.slice(i).join('.'))) return 'very common domain';
      return undefined;
    }
    case 'md5':
    case 'sha1':
    case 'sha256':
    case 'sha512':
      return EMPTY_HASHES.has(value) ? 'hash of an empty file' : undefined;
    default:
      return undefined;
  }
}

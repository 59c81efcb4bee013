/**
 * Per-type validation and normalization of one indicator value. The normalized value is what makes an
 * indicator unique in a workspace (`indicatorKey`); the original is kept beside it for the record.
 * Every refusal says what is wrong in words a hunter understands.
 */
import { HASH_LENGTHS, isIndicatorType, type IndicatorType } from './types.js';
import { refang } from './refang.js';
import { canonicalIPv4, canonicalIPv6, parseIpWithPort } from './ip.js';
import { isKnownTld } from './tlds.js';

/**
 * `port` is set when an address was written with one (`1.2.3.4:8443`, `[2001:db8::1]:443`): the value is
 * the address alone, so it is one indicator with or without the port, and the caller keeps the port as
 * the indicator's `port:<n>` tag (portTags.ts).
 */
export type NormalizeResult = { ok: true; type: IndicatorType; value: string; original: string; port?: number } | { ok: false; error: string };

const fail = (error: string): NormalizeResult => ({ ok: false, error });

/** Lower-case, trailing dot stripped, IDN to punycode (URL parsing does IDNA in browsers and Node). */
export function normalizeHost(raw: string): string | undefined {
  const host = raw.trim().replace(/\.$/, '').toLowerCase();
  if (!host || host.length > 253 || /[\s/\\?#@:]/.test(host)) return undefined;
  let ascii: string;
  try {
    ascii = new URL(`http://${host}`).hostname;
  } catch {
    return undefined;
  }
  const labels = ascii.split('.');
  if (labels.length < 2 || labels.some((l) => !/^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/.test(l))) return undefined;
  if (/^\d+$/.test(labels[labels.length - 1]!)) return undefined; // an IP address, not a name
  return ascii;
}

function normalizeDomain(v: string, type: 'domain' | 'hostname'): NormalizeResult {
  const host = normalizeHost(v);
  if (!host) return fail(`not a valid ${type === 'domain' ? 'domain name' : 'host name'}`);
  return { ok: true, type, value: host, original: v };
}

function normalizeUrl(v: string): NormalizeResult {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) return fail('a URL needs a scheme such as http://');
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return fail('not a valid URL');
  }
  if (!u.hostname) return fail('a URL needs a host');
  // URL() lower-cases scheme and host, punycodes IDN hosts, drops default ports and keeps path,
  // query and fragment as written (it only percent-encodes what is not allowed, which is meaning-preserving).
  return { ok: true, type: 'url', value: u.href, original: v };
}

function normalizeEmail(v: string): NormalizeResult {
  const at = v.lastIndexOf('@');
  if (at < 1) return fail('an e-mail address needs a local part and a domain');
  const local = v.slice(0, at);
  const host = normalizeHost(v.slice(at + 1));
  if (!host || /\s/.test(local) || local.length > 64) return fail('not a valid e-mail address');
  // The local part is case-sensitive by the standard; only the domain is folded.
  return { ok: true, type: 'email', value: `${local}@${host}`, original: v };
}

function normalizeCidr(v: string): NormalizeResult {
  const [addr = '', prefix = '', extra] = v.split('/');
  if (extra !== undefined || !/^\d{1,3}$/.test(prefix)) return fail('a CIDR range is an address and a prefix, e.g. 10.0.0.0/8');
  const bits = Number(prefix);
  const v4 = canonicalIPv4(addr);
  if (v4) {
    if (bits > 32) return fail('an IPv4 prefix is 0-32');
    const n = v4.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
    const net = n - (n % 2 ** (32 - bits));
    if (net !== n) return fail(`host bits are set: the network is ${[24, 16, 8, 0].map((s) => Math.floor(net / 2 ** s) % 256).join('.')}/${bits}`);
    return { ok: true, type: 'cidr', value: `${v4}/${bits}`, original: v };
  }
  const v6 = canonicalIPv6(addr);
  if (!v6) return fail('not an IPv4 or IPv6 network');
  if (bits > 128) return fail('an IPv6 prefix is 0-128');
  return { ok: true, type: 'cidr', value: `${v6}/${bits}`, original: v };
}

const SIMPLE: Partial<Record<IndicatorType, { re: RegExp; message: string; fold?: 'lower' | 'upper' }>> = {
  cve: { re: /^CVE-\d{4}-\d{4,7}$/, message: 'a CVE id looks like CVE-2024-3400', fold: 'upper' },
  ja3: { re: /^[0-9a-f]{32}$/, message: 'a JA3 fingerprint is 32 hexadecimal characters', fold: 'lower' },
  ssdeep: { re: /^\d+:[A-Za-z0-9/+]+:[A-Za-z0-9/+]+(,.*)?$/, message: 'an ssdeep hash looks like 96:abc...:def...' },
  btc: { re: /^(?:[13][a-km-zA-HJ-NP-Z1-9]{25,34}|bc1[ac-hj-np-z02-9]{11,71})$/, message: 'not a Bitcoin address (base58 1... or 3..., or bech32 bc1...)' },
};

const HIVES: Record<string, string> = {
  HKLM: 'HKLM',
  HKEY_LOCAL_MACHINE: 'HKLM',
  HKCU: 'HKCU',
  HKEY_CURRENT_USER: 'HKCU',
  HKCR: 'HKCR',
  HKEY_CLASSES_ROOT: 'HKCR',
  HKU: 'HKU',
  HKEY_USERS: 'HKU',
  HKCC: 'HKCC',
  HKEY_CURRENT_CONFIG: 'HKCC',
};

function byType(type: IndicatorType, v: string): NormalizeResult {
  switch (type) {
    case 'ip-src':
    case 'ip-dst': {
      const p = parseIpWithPort(v);
      if ('error' in p) return fail(p.error);
      return { ok: true, type, value: p.ip, original: v, ...(p.port !== undefined ? { port: p.port } : {}) };
    }
    case 'cidr':
      return normalizeCidr(v);
    case 'domain':
    case 'hostname':
      return normalizeDomain(v, type);
    case 'url':
      return normalizeUrl(v);
    case 'email':
      return normalizeEmail(v);
    case 'md5':
    case 'sha1':
    case 'sha256':
    case 'sha512': {
      const hex = v.toLowerCase();
      const len = HASH_LENGTHS[type];
      return new RegExp(`^[0-9a-f]{${len}}$`).test(hex) ? { ok: true, type, value: hex, original: v } : fail(`a ${type.toUpperCase()} hash is ${len} hexadecimal characters`);
    }
    case 'as': {
      const m = /^(?:AS)?\s?(\d{1,10})$/i.exec(v);
      return m && Number(m[1]) <= 4294967295 ? { ok: true, type, value: `AS${Number(m[1])}`, original: v } : fail('an AS number looks like AS64496');
    }
    case 'regkey': {
      const [hive = '', ...rest] = v.replace(/\//g, '\\').split('\\');
      const short = HIVES[hive.toUpperCase()];
      if (!short || rest.length === 0) return fail('a registry key starts with a hive, e.g. HKLM\\Software\\...');
      return { ok: true, type, value: [short, ...rest].join('\\'), original: v };
    }
    case 'cve':
    case 'ja3':
    case 'ssdeep':
    case 'btc': {
      const rule = SIMPLE[type]!;
      const value = rule.fold === 'upper' ? v.toUpperCase() : rule.fold === 'lower' ? v.toLowerCase() : v;
      return rule.re.test(value) ? { ok: true, type, value, original: v } : fail(rule.message);
    }
    default:
      // filename, filepath, mutex, user-agent, yara, other: kept as written, only trimmed.
      return { ok: true, type, value: v, original: v };
  }
}

// Free-text types are not refanged: "[.]" may be part of a file name or a YARA rule.
const NOT_REFANGED = new Set(['filename', 'filepath', 'mutex', 'user-agent', 'yara', 'other', 'regkey']);

/** Validates and normalizes `raw` as an indicator of `type` (refanging it first). */
export function normalizeIndicator(type: string, raw: string): NormalizeResult {
  if (!isIndicatorType(type)) return fail(`unknown indicator type "${type}"`);
  const trimmed = raw.trim();
  if (!trimmed) return fail('the value is empty');
  const refangs = !NOT_REFANGED.has(type);
  const res = byType(type, refangs ? refang(trimmed) : trimmed);
  return res.ok ? { ...res, original: raw } : res;
}

/** Uniqueness key of an indicator in a workspace: type + normalized value. */
export const indicatorKey = (type: string, normalizedValue: string): string => `${type}|${normalizedValue}`;

/** True for a host name whose last label is a real top-level domain (filters file names like a.txt). */
export function hasKnownTld(host: string): boolean {
  return isKnownTld(host.slice(host.lastIndexOf('.') + 1));
}

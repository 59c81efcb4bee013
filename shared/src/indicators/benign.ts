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

/**
 * Where reports link for context, not what an attacker runs: security vendors' research sites,
 * vulnerability and technique databases, sandboxes and scanners, code hosting front pages and
 * documentation. A URL or name under one of these is flagged as a probable reference (a hunter keeps
 * one with a click, e.g. a payload on raw.githubusercontent.com).
 */
const REFERENCE_SITES = new Set([
  'welivesecurity.com',
  'eset.com',
  'esetstatic.com',
  'paloaltonetworks.com',
  'securelist.com',
  'kaspersky.com',
  'mandiant.com',
  'fireeye.com',
  'crowdstrike.com',
  'trendmicro.com',
  'sophos.com',
  'talosintelligence.com',
  'blog.talosintelligence.com',
  'cisco.com',
  'checkpoint.com',
  'proofpoint.com',
  'malwarebytes.com',
  'bitdefender.com',
  'sentinelone.com',
  'recordedfuture.com',
  'secureworks.com',
  'f-secure.com',
  'withsecure.com',
  'fortinet.com',
  'mcafee.com',
  'trellix.com',
  'zscaler.com',
  'volexity.com',
  'cybereason.com',
  'elastic.co',
  'redcanary.com',
  'thedfirreport.com',
  'bleepingcomputer.com',
  'therecord.media',
  'virustotal.com',
  'hybrid-analysis.com',
  'any.run',
  'app.any.run',
  'joesandbox.com',
  'urlscan.io',
  'abuse.ch',
  'shodan.io',
  'censys.io',
  'otx.alienvault.com',
  'malpedia.caad.fkie.fraunhofer.de',
  'mitre.org',
  'nist.gov',
  'cisa.gov',
  'us-cert.gov',
  'ncsc.gov.uk',
  'cert.org',
  'jpcert.or.jp',
  'first.org',
  'sans.org',
  'sans.edu',
  'emergingthreats.net',
  'misp-project.org',
  'oasis-open.org',
  'snort.org',
  'isc.org',
  'yara.readthedocs.io',
  'man7.org',
  'docs.microsoft.com',
  'learn.microsoft.com',
  'support.microsoft.com',
  'msrc.microsoft.com',
  'developer.apple.com',
  'support.apple.com',
  'support.oracle.com',
  'oracle.com',
  'intel.com',
  'openssh.com',
  'kernel.org',
  'rfc-editor.org',
  'ietf.org',
  'w3.org',
  'medium.com',
]);

/** Link shorteners: a report's short link is usually a reference; the target is what to judge. */
const SHORTENERS = new Set(['goo.gl', 'bit.ly', 't.co', 'tinyurl.com', 'ow.ly', 'buff.ly', 'is.gd', 'lnkd.in', 'aka.ms']);

/** Social networks: a link to a profile or a post is a reference or the publisher's account. */
const SOCIAL = new Set(['twitter.com', 'x.com', 'linkedin.com', 'facebook.com', 'youtube.com']);

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

function hostReason(host: string): string | undefined {
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local')) return 'local name';
  // Each parent name (a.b.example.com, b.example.com, example.com), without splitting: this runs for
  // every host and URL of a 10 MB paste.
  for (let i = -1, dots = 0; ; dots++) {
    const suffix = i === -1 ? host : host.slice(i + 1);
    if (COMMON_DOMAINS.has(suffix)) return 'very common domain';
    if (REFERENCE_SITES.has(suffix)) return 'a security vendor, reference or documentation site';
    i = host.indexOf('.', i + 1);
    if (i === -1 || dots > 126) return undefined;
  }
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
    case 'hostname':
      return hostReason(value);
    case 'url': {
      const u = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^/?#:]+)[^/?#]*(.*)$/i.exec(value);
      const host = u?.[1]?.toLowerCase();
      if (!host) return undefined;
      if (!host.includes('.')) return 'a host without a domain (an example or an internal name)';
      const root = host.replace(/^www\./, '');
      if (SHORTENERS.has(root)) return 'a shortened link (usually a reference; its target is what to judge)';
      if (SOCIAL.has(root)) return 'a social media profile or post';
      // Source code and its history on a code host: a reference. A release download stays ticked.
      if (root === 'github.com' && /^\/[^/]+\/[^/]+(?:\/(?:blob|tree|commit|commits|issues|pull|wiki)\/|\/?$)/.test(u?.[2] ?? '')) return 'a link to source code (a reference)';
      const why = hostReason(host);
      // A dated article on a big company's site (microsoft.com/security/blog/2019/12/12/...) is a reference.
      if (why === 'very common domain' && /\/(?:19|20)\d\d\/[01]?\d\//.test(u?.[2] ?? '')) return 'an article on a very common site (a reference)';
      // A very common site's home page is context; a path on it may be abuse of the service (a
      // script.google.com macro, a raw.githubusercontent.com payload): those stay ticked.
      if (why === 'very common domain') return !u?.[2] || u[2] === '/' ? 'a link to a very common site' : undefined;
      return why;
    }
    case 'email': {
      // A researcher's or the publisher's address at a security vendor, as reports sign them.
      const why = hostReason(value.slice(value.lastIndexOf('@') + 1));
      return why === 'a security vendor, reference or documentation site' ? 'an address at a security vendor (the publisher or a researcher)' : undefined;
    }
    case 'regkey':
      // A standard autostart key itself: the value written under it is the evidence. (A rarer load
      // point such as ...\Windows NT\CurrentVersion\Windows\Run is evidence by itself.)
      return /\\Software\\(?:Wow6432Node\\)?Microsoft\\Windows(?:\\CurrentVersion\\(?:Run|RunOnce|RunServices|RunServicesOnce)| NT\\CurrentVersion\\Winlogon)$/i.test(value)
        ? 'a standard autostart key itself (the value written under it is the evidence)'
        : undefined;
    case 'md5':
    case 'sha1':
    case 'sha256':
    case 'sha512':
      return EMPTY_HASHES.has(value) ? 'hash of an empty file' : undefined;
    default:
      return undefined;
  }
}

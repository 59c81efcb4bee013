/**
 * MISP attribute types as Huntroom types: which become indicators (and as what), which are context and
 * never do, and how a composite value (`ip-dst|port`, `filename|md5`, `domain|ip`) splits. Used by the
 * MISP JSON importer and by the CSV importer for MISP's CSV export.
 */
const MISP_TYPES: Record<string, string> = {
  'ip-dst|port': 'ip-dst',
  'ip-src|port': 'ip-src',
  'domain|ip': 'domain',
  'hostname|port': 'hostname',
  'email-src': 'email',
  'email-dst': 'email',
  'filename|md5': 'md5',
  'filename|sha1': 'sha1',
  'filename|sha256': 'sha256',
  'filename|sha512': 'sha512',
  'filename|ssdeep': 'ssdeep',
  'malware-sample': 'md5',
  AS: 'as',
  vulnerability: 'cve',
  btc: 'btc',
  'ja3-fingerprint-md5': 'ja3',
  'windows-registry-key': 'regkey',
  'regkey|value': 'regkey',
};

/**
 * MISP types that describe, never detect: they are context for a human (a report's link, a note, a
 * file's size) and would be false alerts if sent on as indicators.
 */
const CONTEXT_TYPES = new Set([
  'link',
  'text',
  'comment',
  'other',
  'size-in-bytes',
  'float',
  'counter',
  'datetime',
  'mime-type',
  'attachment',
  'hex',
  'port',
  'boolean',
  'integer',
  'entropy',
  'cpe',
  'pattern-in-file',
  'pattern-in-memory',
  'pattern-in-traffic',
  'whois-registrar',
  'whois-registrant-name',
  'whois-creation-date',
  'first-name',
  'last-name',
  'full-name',
  'phone-number',
  'target-user',
  'target-email',
  'target-machine',
  'target-org',
  'target-location',
  'target-external',
  'threat-actor',
  'campaign-name',
  'campaign-id',
]);

/**
 * A MISP attribute type and value as a Huntroom type and value (also used by the CSV importer for MISP's
 * CSV export). `ip-dst|port` and the like give the address alone and the port apart: the port is kept as
 * the indicator's `port:<n>` tag (portTags.ts), so the address seen with and without it is one indicator.
 */
export function mispValue(type: string, value: string): [string, string, number?] {
  const mapped = MISP_TYPES[type] ?? type;
  if (type.includes('|') || type === 'malware-sample') {
    const [a = '', b = ''] = value.split('|');
    // A port that is not a number is passed on as one, so the candidate says it is out of range.
    if (type.endsWith('|port')) return b.trim() ? [mapped, a, /^\d+$/.test(b.trim()) ? Number(b.trim()) : NaN] : [mapped, a];
    return type.startsWith('filename|') || type === 'malware-sample' ? [mapped, b] : [mapped, a];
  }
  return [mapped, value];
}

/** A MISP `domain|ip` value as its two indicators (a `domain-ip` pair); an empty half is left out. */
export function domainIp(value: string): [string, string][] {
  const [domain = '', ip = ''] = value.split('|');
  return [
    ['domain', domain],
    ['ip-dst', ip],
  ].filter(([, v]) => v!.trim()) as [string, string][];
}

/** Why a MISP attribute type does not become an indicator, or undefined when it does. */
export function mispSkipReason(type: string, value = ''): string | undefined {
  if (CONTEXT_TYPES.has(type)) return `MISP type "${type}" is context, not an indicator`;
  if (type === 'malware-sample' && !/^[^|]*\|[0-9a-f]{32}$/i.test(value)) return 'a malware sample without its MD5: the file itself is not imported';
  return undefined;
}

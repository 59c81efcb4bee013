/**
 * STIX Cyber-observable Objects (SCOs) into values: what each SCO type holds that is an indicator.
 * References (a file's directory, a connection's addresses, a message's sender) are followed through
 * `resolve`, which finds bundle objects by id and observed-data's inline objects by their key.
 */
import { hashType } from './paths.js';

export type StixObject = Record<string, unknown>;

export interface Found {
  type: string;
  value: string;
  tag?: string;
  comment?: string;
}

export interface ObservableResult {
  values: Found[];
  /** Set when the SCO is on purpose not an indicator. */
  skipped?: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);

/** SCO types Huntroom reads; an observed-data referencing others says nothing about them. */
export const SCO_TYPES = new Set([
  'ipv4-addr',
  'ipv6-addr',
  'domain-name',
  'hostname',
  'url',
  'email-addr',
  'email-message',
  'file',
  'artifact',
  'directory',
  'windows-registry-key',
  'mutex',
  'autonomous-system',
  'x509-certificate',
  'network-traffic',
  'software',
  'user-agent',
  'cryptocurrency-wallet',
]);

/** References an SCO makes whose targets are read through it, not on their own. */
export const CONSUMED_REFS: Record<string, string[]> = {
  file: ['parent_directory_ref'],
  'network-traffic': ['src_ref', 'dst_ref'],
  'email-message': ['from_ref', 'sender_ref', 'to_refs', 'cc_refs', 'bcc_refs'],
};

/** An address: a CIDR range when written with a prefix (STIX allows it in ipv4-addr and ipv6-addr). */
export const addressType = (value: string, plain: string) => (value.includes('/') ? 'cidr' : plain);

/** Joins a directory and a file name with the directory's own separator. */
export const joinPath = (dir: string, name: string) => {
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  return dir.endsWith(sep) ? dir + name : `${dir}${sep}${name}`;
};

function hashes(o: StixObject, tag?: string): Found[] {
  if (!o.hashes || typeof o.hashes !== 'object') return [];
  return Object.entries(o.hashes as Record<string, unknown>).flatMap(([alg, v]) => {
    const type = hashType(alg);
    const value = str(v);
    return type && value ? [{ type, value, ...(tag ? { tag } : {}) }] : [];
  });
}

export function observableValues(o: StixObject, resolve: (ref: unknown) => StixObject | undefined): ObservableResult {
  const value = str(o.value);
  switch (o.type) {
    case 'ipv4-addr':
    case 'ipv6-addr':
      return { values: value ? [{ type: addressType(value, 'ip-dst'), value }] : [] };
    case 'domain-name':
      return { values: value ? [{ type: 'domain', value }] : [] };
    case 'hostname':
      return { values: value ? [{ type: 'hostname', value }] : [] };
    case 'url':
      return { values: value ? [{ type: 'url', value }] : [] };
    case 'email-addr':
      return { values: value ? [{ type: 'email', value }] : [] };
    case 'user-agent':
      return { values: value ? [{ type: 'user-agent', value }] : [] };
    case 'cryptocurrency-wallet':
      return { values: value ? [{ type: 'btc', value }] : [] };
    case 'mutex':
      return { values: str(o.name) ? [{ type: 'mutex', value: o.name as string }] : [] };
    case 'autonomous-system':
      return { values: typeof o.number === 'number' || str(o.number) ? [{ type: 'as', value: String(o.number) }] : [] };
    case 'directory':
      return { values: str(o.path) ? [{ type: 'filepath', value: o.path as string }] : [] };
    case 'artifact':
      return { values: hashes(o) };
    case 'x509-certificate':
      // A certificate's thumbprint is a hash of the certificate, not of a file: the tag keeps that.
      return { values: hashes(o, 'x509-certificate') };
    case 'file': {
      const out = hashes(o);
      const name = str(o.name);
      const dir = str(resolve(o.parent_directory_ref)?.path);
      if (name) out.push(dir ? { type: 'filepath', value: joinPath(dir, name) } : { type: /[\\/]/.test(name) ? 'filepath' : 'filename', value: name });
      else if (dir) out.push({ type: 'filepath', value: dir });
      return { values: out };
    }
    case 'windows-registry-key': {
      const key = str(o.key);
      if (!key) return { values: [] };
      // Huntroom's regkey is the key; the values it holds are kept as the comment, for the analyst.
      const vals = Array.isArray(o.values)
        ? (o.values as StixObject[]).flatMap((v) => (v && typeof v === 'object' ? [`${str(v.name) ?? '(Default)'} = ${typeof v.data === 'string' ? v.data : ''}`] : []))
        : [];
      return { values: [{ type: 'regkey', value: key, ...(vals.length ? { comment: `Registry values: ${vals.join('; ')}` } : {}) }] };
    }
    case 'email-message': {
      const out: Found[] = [];
      for (const ref of [o.from_ref, o.sender_ref]) {
        const addr = str(resolve(ref)?.value);
        if (addr && !out.some((f) => f.value === addr)) out.push({ type: 'email', value: addr });
      }
      return { values: out };
    }
    case 'network-traffic': {
      const out: Found[] = [];
      for (const [ref, port, type] of [
        [o.dst_ref, o.dst_port, 'ip-dst'],
        [o.src_ref, o.src_port, 'ip-src'],
      ] as const) {
        const target = resolve(ref);
        const ip = str(target?.value);
        if (!ip) continue;
        if (target!.type === 'domain-name') out.push({ type: 'domain', value: ip });
        else if (ip.includes('/')) out.push({ type: 'cidr', value: ip });
        else out.push({ type, value: typeof port === 'number' ? (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`) : ip });
      }
      const http = (o.extensions as Record<string, { request_header?: Record<string, unknown> }> | undefined)?.['http-request-ext'];
      const ua = http?.request_header && Object.entries(http.request_header).find(([k]) => k.toLowerCase() === 'user-agent')?.[1];
      if (str(ua)) out.push({ type: 'user-agent', value: ua as string });
      return { values: out };
    }
    case 'software':
      return { values: [], skipped: 'STIX software names a product, not an indicator' };
    default:
      return { values: [] };
  }
}

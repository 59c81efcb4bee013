/**
 * The STIX pattern Huntroom writes for an indicator. Standard object paths wherever STIX has one, so
 * any platform can read the value; the exact Huntroom type travels in the extension (a hostname is a
 * domain-name, an ip-src an ipv4-addr). Paths for types STIX has no object for are custom ones that
 * Huntroom's import reads back.
 */
const quote = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

const HASH_NAMES: Record<string, string> = { md5: 'MD5', sha1: 'SHA-1', sha256: 'SHA-256', sha512: 'SHA-512', ssdeep: 'SSDEEP' };

/** An address with a port (203.0.113.9:8443, [2001:db8::1]:443) as its parts. */
function splitPort(value: string): { ip: string; port?: number } {
  const v6 = /^\[([^\]]+)\]:(\d+)$/.exec(value);
  if (v6) return { ip: v6[1]!, port: Number(v6[2]) };
  const v4 = /^([\d.]+):(\d+)$/.exec(value);
  return v4 ? { ip: v4[1]!, port: Number(v4[2]) } : { ip: value };
}

/** A file path as directory and name, when it uses one kind of separator (else the name holds it all). */
function splitPath(path: string): { dir?: string; name: string } {
  const seps = new Set(path.match(/[\\/]/g) ?? []);
  const at = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  if (seps.size !== 1 || at < 0 || at === path.length - 1) return { name: path };
  // A directory without a separator of its own (C:, the root) keeps its trailing one, so the import
  // joins name and directory with the same separator.
  const dir = path.slice(0, at);
  return { dir: /[\\/]/.test(dir) ? dir : path.slice(0, at + 1), name: path.slice(at + 1) };
}

/** The YARA rule's own name, for the indicator's name. */
export const yaraRuleName = (rule: string): string | undefined => /\brule\s+([A-Za-z_][A-Za-z0-9_]*)/.exec(rule)?.[1];

/**
 * `ports`: the ports an address was seen with (its `port:<n>` tags). A value stored with its port before
 * the address alone became the value (`1.2.3.4:8443`) gives its port too.
 */
export function stixPattern(type: string, value: string, ports: readonly number[] = []): { pattern: string; pattern_type: string } {
  const stix = (path: string, v: string = quote(value)) => ({ pattern: `[${path} = ${v}]`, pattern_type: 'stix' });
  switch (type) {
    case 'ip-src':
    case 'ip-dst':
    case 'cidr': {
      const { ip, port } = type === 'cidr' ? { ip: value } : splitPort(value);
      const object = ip.includes(':') ? 'ipv6-addr' : 'ipv4-addr';
      const all = type === 'cidr' ? [] : [...new Set([...(port === undefined ? [] : [port]), ...ports])].sort((a, b) => a - b);
      if (!all.length) return stix(`${object}:value`, quote(ip));
      // A port belongs to a connection: the address is its destination (ip-dst) or source (ip-src).
      // Several ports: one observation per port, joined by OR (a connection to any of them).
      const side = type === 'ip-src' ? 'src' : 'dst';
      return {
        pattern: all
          .map((p) => `[network-traffic:${side}_ref.type = '${object}' AND network-traffic:${side}_ref.value = ${quote(ip)} AND network-traffic:${side}_port = ${p}]`)
          .join(' OR '),
        pattern_type: 'stix',
      };
    }
    case 'domain':
    case 'hostname':
      return stix('domain-name:value');
    case 'url':
      return stix('url:value');
    case 'email':
      return stix('email-addr:value');
    case 'md5':
    case 'sha1':
    case 'sha256':
    case 'sha512':
    case 'ssdeep':
      return stix(`file:hashes.'${HASH_NAMES[type]}'`);
    case 'filename':
      return stix('file:name');
    case 'filepath': {
      const { dir, name } = splitPath(value);
      return dir === undefined ? stix('file:name') : { pattern: `[file:name = ${quote(name)} AND file:parent_directory_ref.path = ${quote(dir)}]`, pattern_type: 'stix' };
    }
    case 'regkey':
      return stix('windows-registry-key:key');
    case 'mutex':
      return stix('mutex:name');
    case 'user-agent':
      return stix("network-traffic:extensions.'http-request-ext'.request_header.'User-Agent'");
    case 'as':
      return stix('autonomous-system:number', String(Number(value.replace(/^AS/i, ''))));
    case 'btc':
      // OpenCTI's observable for wallets: the platform partners most often run reads it.
      return stix('cryptocurrency-wallet:value');
    case 'yara':
      return { pattern: value, pattern_type: 'yara' };
    default:
      return stix(`x-huntroom-${type}:value`);
  }
}

/**
 * Nmap's XML output (`nmap -oX`, format of nmap.org's nmap.dtd) into hosts: every `<host>` that was up
 * gives one host with its host names (the user-given name first, then PTR names), its IPv4, IPv6 and
 * MAC addresses, the best OS match, and its open ports (with service and version) as a note. Hosts that
 * were down, or without an address, are reported with the reason and left out.
 *
 * XML is read by fast-xml-parser, a pure-JavaScript parser that runs in the browser's Web Worker and in
 * the server's worker pool alike and parses in one linear pass. Its entity processing is off and any file
 * that declares entities is refused (xmlText.ts), so a hostile file cannot expand; the predefined
 * entities and numeric references nmap writes are decoded by our own small function.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ImportError } from '../../indicators/import/errors.js';
import { canonicalAddress } from '../identity.js';
import { HUNT_LIMITS } from '../schema.js';
import type { ImportedHost } from './hostItem.js';
import { progressReporter, type ImportProblem, type ImportProgress } from './problems.js';
import { declaresEntities, decodeXmlText } from './xmlText.js';

export interface NmapReading {
  hosts: ImportedHost[];
  problems: ImportProblem[];
  /** When the scan started (UTC), and the command line, as nmap wrote them. */
  scan: { startedAt?: string; args?: string };
}

type Attrs = Record<string, string | undefined>;
interface XmlHost {
  status?: Attrs;
  address?: Attrs[];
  hostnames?: { hostname?: Attrs[] } | string;
  ports?: { port?: XmlPort[] } | string;
  os?: { osmatch?: Attrs[] } | string;
}

/** A port's own attributes are read through `attr`, its state and service are child elements. */
type XmlPort = Attrs & { state?: Attrs; service?: Attrs };

const LISTS = new Set(['host', 'address', 'hostname', 'port', 'osmatch', 'osclass']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  processEntities: false,
  htmlEntities: false,
  parseAttributeValue: false,
  parseTagValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (name) => LISTS.has(name),
});

const attr = (o: object | undefined, k: string): string => {
  const v = (o as Attrs | undefined)?.[k];
  return typeof v === 'string' ? decodeXmlText(v).trim() : '';
};
const obj = <T>(v: T | string | undefined): T | undefined => (v && typeof v === 'object' ? v : undefined);

/**
 * Reads an nmap XML scan. Throws ImportError when the file as a whole is not one (not XML, not an
 * `nmaprun`, declares entities); otherwise every host is judged on its own.
 */
export function readNmapXml(xml: string, onProgress?: ImportProgress): NmapReading {
  const text = xml.replace(/^\uFEFF/, '');
  if (declaresEntities(text)) throw new ImportError('nmap XML: the file declares XML entities or a DTD, which nmap never writes; refused');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new ImportError(`nmap XML: not well-formed XML (line ${valid.err.line}: ${valid.err.msg})`);
  const doc = parser.parse(text) as { nmaprun?: Attrs & { host?: XmlHost[] } };
  const run = obj(doc.nmaprun);
  if (!run) throw new ImportError('nmap XML: no <nmaprun> element; is this the output of nmap -oX?');
  const xmlHosts = run.host ?? [];
  const report = progressReporter(xmlHosts.length, onProgress);
  const hosts: ImportedHost[] = [];
  const problems: ImportProblem[] = [];
  xmlHosts.forEach((h, i) => {
    const read = readHost(h);
    if (typeof read === 'string') problems.push({ row: i + 1, reason: read });
    else hosts.push(read);
    report(i + 1);
  });
  const start = Number(attr(run, 'start'));
  return {
    hosts,
    problems,
    scan: { ...(start > 0 ? { startedAt: new Date(start * 1000).toISOString() } : {}), ...(attr(run, 'args') ? { args: attr(run, 'args') } : {}) },
  };
}

function readHost(h: XmlHost): ImportedHost | string {
  const addresses: string[] = [];
  const rawAddresses = (h.address ?? []).map((a) => attr(a, 'addr')).filter(Boolean);
  for (const raw of rawAddresses) {
    const canonical = canonicalAddress(raw);
    if (canonical && !addresses.includes(canonical)) addresses.push(canonical);
  }
  const label = rawAddresses[0] ?? 'a host without an address';
  const state = attr(h.status, 'state');
  if (state && state !== 'up') return `${label}: host was ${state} during the scan`;
  if (!addresses.length) return rawAddresses.length ? `${label}: no valid IPv4, IPv6 or MAC address` : 'a host without any address';
  if (addresses.length > HUNT_LIMITS.addressesMax) addresses.length = HUNT_LIMITS.addressesMax;
  // The name the person scanned ("user") says what they meant; PTR names are what DNS said.
  const names = (obj(h.hostnames)?.hostname ?? [])
    .map((n) => ({ name: attr(n, 'name'), user: attr(n, 'type') === 'user' }))
    .filter((n) => n.name && n.name.length <= HUNT_LIMITS.hostnameMax)
    .sort((a, b) => Number(b.user) - Number(a.user))
    .map((n) => n.name);
  const unique = [...new Set(names)];
  const host: ImportedHost = { addresses };
  if (unique[0]) host.hostname = unique[0];
  const os = bestOsMatch(obj(h.os)?.osmatch ?? []);
  if (os) host.os = os.slice(0, HUNT_LIMITS.osMax);
  const notes = [openPortsNote(obj(h.ports)?.port ?? []), unique.length > 1 ? `Also named: ${unique.slice(1).join(', ')}` : ''].filter(Boolean).join('\n');
  if (notes) host.notes = notes.slice(0, HUNT_LIMITS.textMax);
  return host;
}

/** The OS match nmap is most sure of (the first one among equals, as nmap orders them). */
function bestOsMatch(matches: Attrs[]): string | undefined {
  let best: { name: string; accuracy: number } | undefined;
  for (const m of matches) {
    const name = attr(m, 'name');
    const accuracy = Number(attr(m, 'accuracy')) || 0;
    if (name && (!best || accuracy > best.accuracy)) best = { name, accuracy };
  }
  return best?.name;
}

/** "Open ports: 22/tcp ssh (OpenSSH 4.3 protocol 2.0), 80/tcp http": the ports nmap saw open. */
function openPortsNote(ports: XmlPort[]): string {
  const open = ports
    .filter((p) => attr(p.state, 'state') === 'open')
    .map((p) => {
      const service = attr(p.service, 'name');
      const version = ['product', 'version', 'extrainfo']
        .map((k) => attr(p.service, k))
        .filter(Boolean)
        .join(' ');
      return `${attr(p, 'portid')}/${attr(p, 'protocol')}${service ? ` ${service}` : ''}${version ? ` (${version})` : ''}`;
    });
  return open.length ? `Open ports: ${open.join(', ')}` : '';
}

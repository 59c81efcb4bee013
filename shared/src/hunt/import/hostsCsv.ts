/**
 * A CSV list of hosts into hosts, with a column mapping as the indicator CSV import has one: the header
 * row proposes what each column means (any case, the names inventories and scanners write), the person
 * may change it, and every row is judged on its own: a row with no hostname and no address, an address
 * that is none, an unknown role, criticality, state or marking is reported with its reason, the others
 * kept. Several address columns (IPv4, IPv6, MAC) and several addresses in one cell are joined.
 * Deduplication against the network's hosts is the bulk command's (by hostname and address).
 */
import { ImportError } from '../../indicators/import/errors.js';
import { parseCsvRows } from '../../indicators/import/csv.js';
import { tlpOfName } from '../../markings/stixTlp.js';
import { HOST_ROLES, HOST_STATES, LEVELS, type HostRole, type HostState } from '../enums.js';
import { canonicalAddress } from '../identity.js';
import { HUNT_LIMITS } from '../schema.js';
import type { ImportedHost } from './hostItem.js';
import { blank, headerKey, progressReporter, type ImportProblem, type ImportProgress } from './problems.js';

export const HOST_CSV_FIELDS = ['hostname', 'address', 'os', 'role', 'criticality', 'state', 'notes', 'tlp', 'releasable-to', 'ignore'] as const;
export type HostCsvField = (typeof HOST_CSV_FIELDS)[number];

export interface HostsCsvReading {
  /** The header row as written, or undefined when the first row holds data. */
  header: string[] | undefined;
  mapping: HostCsvField[];
  hosts: (ImportedHost & { row: number })[];
  problems: ImportProblem[];
}

const SYNONYMS: Record<string, HostCsvField> = {
  hostname: 'hostname',
  host: 'hostname',
  host_name: 'hostname',
  name: 'hostname',
  computer: 'hostname',
  computer_name: 'hostname',
  computername: 'hostname',
  fqdn: 'hostname',
  dns_name: 'hostname',
  device: 'hostname',
  asset: 'hostname',
  asset_name: 'hostname',
  ip: 'address',
  ips: 'address',
  ip_address: 'address',
  ip_addresses: 'address',
  ipv4: 'address',
  ipv6: 'address',
  address: 'address',
  addresses: 'address',
  mac: 'address',
  mac_address: 'address',
  os: 'os',
  operating_system: 'os',
  platform: 'os',
  role: 'role',
  function: 'role',
  asset_type: 'role',
  criticality: 'criticality',
  priority: 'criticality',
  importance: 'criticality',
  state: 'state',
  status: 'state',
  notes: 'notes',
  note: 'notes',
  comment: 'notes',
  comments: 'notes',
  description: 'notes',
  tlp: 'tlp',
  marking: 'tlp',
  releasable_to: 'releasable-to',
  releasability: 'releasable-to',
};

/** Roles as people write them. */
const ROLE_ALIASES: Record<string, HostRole> = {
  dc: 'domain-controller',
  domain_controller: 'domain-controller',
  mail_server: 'mail',
  exchange: 'mail',
  web_server: 'web',
  file_server: 'file',
  db: 'database',
  workstation: 'workstation',
  client: 'workstation',
  laptop: 'workstation',
  desktop: 'workstation',
  ics: 'ot',
  scada: 'ot',
  plc: 'ot',
  router: 'network-device',
  switch: 'network-device',
  firewall: 'network-device',
  network: 'network-device',
};

const STATE_ALIASES: Record<string, HostState> = {
  new: 'not-examined',
  unexamined: 'not-examined',
  clean: 'examined-clean',
  examined: 'examined-clean',
};

const kebab = (s: string) => headerKey(s).replace(/_/g, '-');

/** The mapping a header row suggests, or undefined when no column names a hostname or an address. */
export function proposeHostsMapping(header: readonly string[]): HostCsvField[] | undefined {
  // A row whose cells are addresses is data, even when another cell reads like a column name.
  if (header.some((h) => canonicalAddress(h) !== null)) return undefined;
  const seen = new Set<HostCsvField>();
  const mapping = header.map((h): HostCsvField => {
    const f = SYNONYMS[headerKey(h)] ?? 'ignore';
    // Several address columns are all read; a second column of any other meaning is ignored.
    if (f !== 'address' && seen.has(f)) return 'ignore';
    seen.add(f);
    return f;
  });
  return seen.has('hostname') || seen.has('address') ? mapping : undefined;
}

/** Reads a hosts CSV with the proposed mapping or the caller's (one entry per column). */
export function readHostsCsv(text: string, mapping?: readonly HostCsvField[], onProgress?: ImportProgress): HostsCsvReading {
  const rows = parseCsvRows(text.replace(/^\uFEFF/, ''));
  if (!rows[0]) throw new ImportError('hosts CSV: the file is empty');
  const proposed = proposeHostsMapping(rows[0]);
  const header = proposed ? rows[0] : undefined;
  const used = mapping ? [...mapping] : proposed;
  if (!used || !used.some((f) => f === 'hostname' || f === 'address'))
    throw new ImportError('hosts CSV: no column holds host names or addresses: name the columns in the first row (hostname, ip, os, role, ...) or choose a mapping');
  const unknown = used.find((f) => !(HOST_CSV_FIELDS as readonly string[]).includes(f));
  if (unknown !== undefined) throw new ImportError(`hosts CSV: unknown column meaning "${String(unknown).slice(0, 32)}" (${HOST_CSV_FIELDS.join(', ')})`);
  const body = header ? rows.slice(1) : rows;
  const report = progressReporter(body.length, onProgress);
  const hosts: HostsCsvReading['hosts'] = [];
  const problems: ImportProblem[] = [];
  body.forEach((cells, i) => {
    const row = i + (header ? 2 : 1);
    const read = readRow(cells, used);
    if (typeof read === 'string') problems.push({ row, reason: read });
    else hosts.push({ row, ...read });
    report(i + 1);
  });
  return { header, mapping: used, hosts, problems };
}

function readRow(cells: readonly string[], mapping: readonly HostCsvField[]): ImportedHost | string {
  const get = (f: HostCsvField) => {
    const i = mapping.indexOf(f);
    return i < 0 ? '' : (cells[i] ?? '').trim();
  };
  const host: ImportedHost = { addresses: [] };
  const hostname = get('hostname');
  if (!blank(hostname)) {
    if (hostname.length > HUNT_LIMITS.hostnameMax) return `hostname longer than ${HUNT_LIMITS.hostnameMax} characters`;
    if (/[\s,;]/.test(hostname)) return `hostname "${hostname.slice(0, 64)}" holds spaces or separators`;
    host.hostname = hostname;
  }
  for (let c = 0; c < mapping.length; c++) {
    if (mapping[c] !== 'address') continue;
    for (const raw of (cells[c] ?? '').split(/[\s,;|]+/).filter(Boolean)) {
      const a = canonicalAddress(raw);
      if (!a) return `"${raw.slice(0, 64)}" is not an IPv4, IPv6 or MAC address`;
      if (!host.addresses.includes(a)) host.addresses.push(a);
    }
  }
  if (host.addresses.length > HUNT_LIMITS.addressesMax) return `more than ${HUNT_LIMITS.addressesMax} addresses`;
  if (!host.hostname && !host.addresses.length) return 'no hostname and no address';
  const os = get('os');
  if (!blank(os)) host.os = os.slice(0, HUNT_LIMITS.osMax);
  const role = get('role');
  if (!blank(role)) {
    const r = vocabulary(role, HOST_ROLES, ROLE_ALIASES);
    if (!r) return `unknown role "${role.slice(0, 32)}" (${HOST_ROLES.join(', ')})`;
    host.role = r;
  }
  const criticality = get('criticality');
  if (!blank(criticality)) {
    const l = vocabulary(criticality, LEVELS, {});
    if (!l) return `unknown criticality "${criticality.slice(0, 32)}" (${LEVELS.join(', ')})`;
    host.criticality = l;
  }
  const state = get('state');
  if (!blank(state)) {
    const s = vocabulary(state, HOST_STATES, STATE_ALIASES);
    if (!s) return `unknown state "${state.slice(0, 32)}" (${HOST_STATES.join(', ')})`;
    host.state = s;
  }
  const notes = get('notes');
  if (!blank(notes)) {
    if (notes.length > HUNT_LIMITS.textMax) return `notes longer than ${HUNT_LIMITS.textMax} characters`;
    host.notes = notes;
  }
  const tlp = get('tlp');
  if (!blank(tlp)) {
    // A row's marking that cannot be read is refused, never widened to the default.
    const level = tlpOfName(tlp);
    if (!level) return `unknown TLP "${tlp.slice(0, 32)}" (CLEAR, GREEN, AMBER, AMBER+STRICT, RED)`;
    host.tlp = level;
  }
  const rel = get('releasable-to');
  if (!blank(rel))
    host.releasableTo = rel
      .split(/[\s,;|]+/)
      .filter(Boolean)
      .map((c) => c.toUpperCase());
  return host;
}

function vocabulary<T extends string>(raw: string, words: readonly T[], aliases: Record<string, T>): T | undefined {
  const k = kebab(raw);
  return (words as readonly string[]).includes(k) ? (k as T) : aliases[headerKey(raw)];
}

/**
 * The demo's indicators, made up and harmless by construction: addresses from the documentation
 * ranges (RFC 5737 for IPv4, RFC 3849 for IPv6), names under example.com/.net/.org (RFC 2606), and
 * hashes that begin with `dec0de` and are digests of the text "huntroom demo file N", no real file.
 * Nothing here can be a live indicator of a real intrusion. The generator is seeded, so every fresh
 * demo is the same hunt.
 */
import { createHash } from 'node:crypto';
import type { IndicatorItemInput, IndicatorStatus, TlpLevel } from '@huntroom/shared';

/** A small seeded generator (mulberry32): the same demo on every start. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const fakeHash = (n: number, length: number): string => `dec0de${createHash('sha256').update(`huntroom demo file ${n}`).digest('hex')}`.repeat(2).slice(0, length);

const WORDS = ['cdn', 'update', 'sync', 'portal', 'mail', 'auth', 'static', 'files', 'login', 'secure', 'docs', 'share', 'office', 'cloud', 'gov', 'ministry'];
const TLDS = ['example.com', 'example.net', 'example.org'];
const PATHS = ['/api/v2/check', '/owa/auth.aspx', '/static/js/app.js', '/download/invoice.zip', '/wp-content/plugins/x.php', '/gate.php', '/updates/patch.bin'];
const FILES = ['svchost32.exe', 'OneDriveUpdater.dll', 'invoice_2026.lnk', 'msupdate.ps1', 'rundll64.exe', 'tmp4A2.dll', 'mscorsvc.bat'];
const DIRS = ['C:\\ProgramData\\Microsoft\\Crypto', 'C:\\Users\\Public\\Libraries', 'C:\\Windows\\Tasks', 'C:\\Windows\\Temp\\wct'];
const AGENTS = ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) HuntroomDemo/1.0', 'curl/7.88.1 (demo)', 'Microsoft-CryptoAPI/10.0 (demo)'];

/** One generated value of a type, numbered so values never repeat by accident. */
function valueOf(type: string, n: number, pick: <T>(a: readonly T[]) => T): string {
  switch (type) {
    case 'ip-dst':
      return `${pick(['192.0.2', '198.51.100', '203.0.113'])}.${(n % 250) + 2}`;
    case 'ip-src':
      return `2001:db8:${(n % 97).toString(16)}::${(n % 200) + 10}`;
    case 'domain':
      return `${pick(WORDS)}-${pick(WORDS)}${n}.${pick(TLDS)}`;
    case 'url':
      return `https://${pick(WORDS)}${n}.${pick(TLDS)}${pick(PATHS)}`;
    case 'sha256':
      return fakeHash(n, 64);
    case 'md5':
      return fakeHash(n, 32);
    case 'filepath':
      return `${pick(DIRS)}\\${pick(FILES)}`;
    case 'email':
      return `${pick(['hr', 'it-support', 'payroll', 'no-reply'])}${n}@${pick(TLDS)}`;
    case 'regkey':
      return `HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\Updater${n}`;
    case 'mutex':
      return `Global\\DemoMtx${n.toString(16).padStart(4, '0')}`;
    default:
      return pick(AGENTS) + ` #${n}`;
  }
}

/** Techniques the indicators point at: a spear-phishing intrusion that moves laterally and steals credentials. */
export const TECHNIQUES_BY_TYPE: Record<string, string[]> = {
  'ip-dst': ['T1071.001', 'T1105'],
  'ip-src': ['T1071.001'],
  domain: ['T1071.001', 'T1568'],
  url: ['T1105', 'T1566.002'],
  sha256: ['T1204.002', 'T1059.001'],
  md5: ['T1204.002'],
  filepath: ['T1547.001', 'T1036.005'],
  email: ['T1566.001'],
  regkey: ['T1547.001'],
  mutex: ['T1027'],
  'user-agent': ['T1071.001'],
};

const TYPES: [string, number][] = [
  ['ip-dst', 18],
  ['domain', 18],
  ['url', 12],
  ['sha256', 16],
  ['md5', 6],
  ['filepath', 8],
  ['email', 8],
  ['regkey', 5],
  ['ip-src', 4],
  ['mutex', 3],
  ['user-agent', 2],
];
const STATUSES: [IndicatorStatus, number][] = [
  ['new', 30],
  ['investigating', 30],
  ['confirmed', 25],
  ['benign', 8],
  ['false-positive', 7],
];

function weighted<T>(rnd: () => number, table: [T, number][]): T {
  const total = table.reduce((s, [, w]) => s + w, 0);
  let x = rnd() * total;
  for (const [v, w] of table) if ((x -= w) < 0) return v;
  return table[0]![0];
}

export interface TeamMarkings {
  /** The marking most of the team's indicators get, then the rarer ones with their share. */
  table: [{ tlp: TlpLevel; releasableTo: string[] }, number][];
  source: string;
  tags: string[];
}

/** `count` indicators for one team, numbered from `start` (so teams' values differ). */
export function indicatorsFor(seed: number, start: number, count: number, team: TeamMarkings): IndicatorItemInput[] {
  const rnd = random(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  return Array.from({ length: count }, (_, i) => {
    const type = weighted(rnd, TYPES);
    const marking = weighted(rnd, team.table);
    const status = weighted(rnd, STATUSES);
    return {
      type,
      value: valueOf(type, start + i, pick),
      status,
      confidence: status === 'confirmed' ? 80 + Math.floor(rnd() * 20) : 30 + Math.floor(rnd() * 50),
      tlp: marking.tlp,
      releasableTo: marking.releasableTo,
      source: team.source,
      tags: [pick(team.tags)],
      techniques: [pick(TECHNIQUES_BY_TYPE[type] ?? ['T1071.001'])],
    };
  });
}

// Scores free-text extraction against the labelled corpus in test/fixtures/extraction (issue 17):
// Huntroom's extractIndicators and the ioc-extractor package on the same documents, recall and
// precision per type, per document and overall. Used by `npm run bench:iocs -- --quality` and by
// test/src/integration/extraction-quality.test.ts, so the bench and the test can never disagree.
//
// Matching rule (also in the corpus README):
// - A value matches a label when both normalize (Huntroom's normalizeIndicator) to the same value and
//   their types are compatible: domain ~ hostname, ip-src ~ ip-dst; every other type only with itself.
// - A URL written without a scheme compares as http:// (the corpus labels `evil.top/x.php` so).
// - Addresses compare without their port (`1.2.3.4:443` matches a label `1.2.3.4`): the port is context.
// - Paths and registry keys compare case-insensitively (Windows is) and without a trailing separator.
// - What a tool offers: Huntroom's candidates that the import dialog ticks by default (neither invalid
//   nor flagged benign); every value ioc-extractor returns, its categories mapped to Huntroom types.
// - An offered value that is not labelled to import counts against precision, whether it is labelled
//   "not to import" or not labelled at all (the verbose listing tells them apart for review). Two
//   kinds are left out of the count: file names (the corpus does not label bare file names), and a
//   host or address that is the host of a labelled URL or the domain of a labelled e-mail address
//   (finding it too is neither wrong nor a new indicator).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { extractIOC } from 'ioc-extractor';
import { extractIndicators, normalizeIndicator } from '@huntroom/shared';

export const CORPUS_DIR = fileURLToPath(new URL('../fixtures/extraction/documents/', import.meta.url));

/** ioc-extractor's categories as Huntroom types (wallets Huntroom has no type for are `other`). */
const IOC_EXTRACTOR_TYPES = {
  asns: 'as',
  btcs: 'btc',
  cves: 'cve',
  domains: 'domain',
  emails: 'email',
  eths: 'other',
  xmrs: 'other',
  gaPubIDs: 'other',
  gaTrackIDs: 'other',
  macAddresses: 'other',
  ipv4s: 'ip-dst',
  ipv6s: 'ip-dst',
  md5s: 'md5',
  sha1s: 'sha1',
  sha256s: 'sha256',
  sha512s: 'sha512',
  ssdeeps: 'ssdeep',
  urls: 'url',
};

const GROUP = { 'ip-src': 'ip', 'ip-dst': 'ip', domain: 'domain', hostname: 'domain' };
/** The type a result is reported under: the compatible types share one row. */
export const typeGroup = (type) => GROUP[type] ?? type;

function stripPort(ip) {
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(ip);
  if (bracket) return bracket[1];
  const v4 = /^([\d.]+):\d+$/.exec(ip);
  return v4 ? v4[1] : ip;
}

/** The comparison key of a typed value: its type group and canonical value. */
export function matchKey(type, raw) {
  // A URL written without a scheme (`evil.top/api/gate.php`) is read as http://, as a browser would.
  const n = normalizeIndicator(type, type === 'url' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(String(raw).trim()) ? `http://${String(raw).trim()}` : raw);
  let value = n.ok ? n.value : String(raw).trim();
  const group = typeGroup(n.ok ? n.type : type);
  if (group === 'ip') value = stripPort(value);
  if (group === 'filepath' || group === 'regkey') value = value.toLowerCase().replace(/[\\/]+$/, '');
  if (group === 'domain' || group === 'email' || group === 'other') value = value.toLowerCase();
  return `${group}|${value}`;
}

/** Every document of the corpus with its truth file. */
export function loadCorpus(dir = CORPUS_DIR) {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.truth.json'))
    .sort()
    .map((f) => {
      const truth = JSON.parse(readFileSync(`${dir}${f}`, 'utf8'));
      return { name: f.replace(/\.truth\.json$/, ''), truth, text: readFileSync(`${dir}${truth.document}`, 'utf8') };
    });
}

/** What Huntroom's import dialog would have ticked: valid, not flagged benign. */
export function huntroomOffers(text) {
  return extractIndicators(text)
    .candidates.filter((c) => !c.error && !c.benign)
    .map((c) => ({ type: c.type, value: c.value }));
}

export function iocExtractorOffers(text) {
  const found = extractIOC(text, { refang: true });
  return Object.entries(IOC_EXTRACTOR_TYPES).flatMap(([key, type]) => (found[key] ?? []).map((value) => ({ type, value })));
}

export const TOOLS = [
  { id: 'huntroom', label: 'Huntroom', offers: huntroomOffers },
  { id: 'iocExtractor', label: 'ioc-extractor', offers: iocExtractorOffers },
];

/** Hosts and addresses that a labelled URL or e-mail address already carries. */
function impliedKeys(indicators) {
  const keys = new Set();
  for (const { type, value } of indicators) {
    let host;
    if (type === 'url') {
      try {
        host = new URL(value).hostname.replace(/^\[|\]$/g, '');
      } catch {
        host = undefined;
      }
    } else if (type === 'email') host = value.slice(value.lastIndexOf('@') + 1);
    if (!host) continue;
    keys.add(/^[\d.]+$/.test(host) || host.includes(':') ? `ip|${host}` : matchKey('domain', host));
  }
  return keys;
}

/** Scores one tool's offers against one document's labels. */
export function scoreDocument(truth, offered) {
  const labelled = new Map(truth.indicators.map((i) => [matchKey(i.type, i.value), i]));
  // "Not to import" labels are looked up by value (as written and as compared), whatever type a tool gave.
  const notLabelled = new Map();
  for (const i of truth.notIndicators) {
    const key = matchKey(i.type, i.value);
    notLabelled.set(String(i.value).toLowerCase(), i);
    notLabelled.set(key.slice(key.indexOf('|') + 1).toLowerCase(), i);
  }
  const implied = impliedKeys(truth.indicators);
  const seen = new Map();
  for (const o of offered) {
    const key = matchKey(o.type, o.value);
    if (!seen.has(key)) seen.set(key, o);
  }
  const truePositives = [];
  const falsePositives = [];
  const ignored = [];
  for (const [key, o] of seen) {
    if (labelled.has(key)) truePositives.push({ key, ...o });
    else if (typeGroup(o.type) === 'filename' || implied.has(key)) ignored.push({ key, ...o });
    else {
      const bare = key.slice(key.indexOf('|') + 1);
      const not = notLabelled.get(bare.toLowerCase()) ?? notLabelled.get(String(o.value).toLowerCase());
      falsePositives.push({ key, ...o, ...(not ? { reason: not.reason } : {}) });
    }
  }
  const falseNegatives = [...labelled].filter(([key]) => !seen.has(key)).map(([key, i]) => ({ key, type: i.type, value: i.value }));
  return { labelled: labelled.size, truePositives, falsePositives, falseNegatives, ignored };
}

const ratio = (a, b) => (b === 0 ? null : a / b);

/** Runs both tools over the corpus: per document, per type (group) and overall. */
export function scoreCorpus(corpus = loadCorpus()) {
  const result = { documents: [], byType: {}, overall: {} };
  for (const tool of TOOLS) result.overall[tool.id] = { labelled: 0, tp: 0, fp: 0, fn: 0 };
  for (const doc of corpus) {
    const row = { name: doc.name, language: doc.truth.language, labelled: doc.truth.indicators.length, tools: {} };
    for (const tool of TOOLS) {
      const s = scoreDocument(doc.truth, tool.offers(doc.text));
      row.tools[tool.id] = { ...s, recall: ratio(s.truePositives.length, s.labelled), precision: ratio(s.truePositives.length, s.truePositives.length + s.falsePositives.length) };
      const o = result.overall[tool.id];
      o.labelled += s.labelled;
      o.tp += s.truePositives.length;
      o.fp += s.falsePositives.length;
      o.fn += s.falseNegatives.length;
      const bump = (group, field) => {
        result.byType[group] ??= {};
        result.byType[group][tool.id] ??= { labelled: 0, tp: 0, fp: 0, fn: 0 };
        result.byType[group][tool.id][field]++;
      };
      // Recall is counted under the label's type, precision under the type the tool gave.
      for (const i of doc.truth.indicators) bump(typeGroup(i.type), 'labelled');
      for (const v of s.truePositives) bump(v.key.slice(0, v.key.indexOf('|')), 'tp');
      for (const v of s.falsePositives) bump(v.key.slice(0, v.key.indexOf('|')), 'fp');
      for (const v of s.falseNegatives) bump(v.key.slice(0, v.key.indexOf('|')), 'fn');
    }
    result.documents.push(row);
  }
  for (const o of [...Object.values(result.overall), ...Object.values(result.byType).flatMap((t) => Object.values(t))]) {
    o.recall = ratio(o.tp, o.labelled);
    o.precision = ratio(o.tp, o.tp + o.fp);
  }
  return result;
}

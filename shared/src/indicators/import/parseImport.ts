/**
 * The one import pipeline's reading step, run by the browser's import worker (the preview) and by the
 * server's import route (inline or in its worker pool): the format is recognized (`auto`), the content
 * read by the format's importer, and every candidate judged as the commit will judge it, so what the
 * preview shows is what the server does with the same content.
 *
 * Judgement per candidate: `error` (rejected: invalid value, a tag or field the item schema refuses),
 * `skip` (not an indicator: MISP's context types, rows the file itself marks as context), or neither.
 */
import { candidateSightingItems, candidateToItem, type Candidate } from '../candidates.js';
import { extractIndicators } from '../extract.js';
import { indicatorKey } from '../normalize.js';
import { indicatorItemSchema, type IndicatorItemInput, type IndicatorStatus } from '../../records/indicators.js';
import type { TlpLevel } from '../../markings/tlp.js';
import { normalizeMarking, type KnownTeam } from '../../markings/normalize.js';
import { readCsv, proposeCsvMapping, type CsvField, type CsvSkipped } from './csv.js';
import { importStix, parseStixText } from './stix.js';
import { importMisp } from './misp.js';
import { mispSkipReason } from './mispTypes.js';
import { ImportError } from './errors.js';

export const IMPORT_FORMATS = ['text', 'csv', 'stix', 'misp'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** A candidate with the import's verdict: `skip` says why it is not an indicator (never committed). */
export type ImportCandidate = Candidate & { skip?: string };

export interface ParsedImport {
  format: ImportFormat;
  candidates: ImportCandidate[];
  /** Rows dropped before they became candidates (a CSV row MISP marks as context), with their reason. */
  skippedRows: { value: string; reason: string }[];
  /** For the dialog's mapping step: the CSV header, the mapping used, the rows skipped. */
  csv?: { header: string[] | undefined; mapping: CsvField[]; skipped: CsvSkipped[] };
}

export interface ParseImportOptions {
  /** What each CSV column means (the dialog's mapping step); else proposed from the header. */
  mapping?: readonly CsvField[] | undefined;
  /** File name, when there is one: a `.csv` name decides `auto`. */
  name?: string | undefined;
  /** Characters read so far of the whole content; free text reports as it goes, the others at the end. */
  onProgress?: (done: number, total: number) => void;
}

/** Which importer reads `text`: from its file name and its first characters. */
export function detectFormat(name: string, text: string): ImportFormat {
  if (/\.csv$/i.test(name)) return 'csv';
  const head = text.trimStart().slice(0, 400);
  if (head.startsWith('{') && /"type"\s*:\s*"bundle"/.test(head)) return 'stix';
  // MISP: {"Event": ...}, restSearch's {"response": [...]}, or the bare event ("Attribute", "Object", "info"...).
  if (head.startsWith('{') && /"(Event|response|Attribute|Object)"\s*:/.test(head)) return 'misp';
  // A pasted table whose first line names its columns (value, type, tlp...) is a CSV: at least two known
  // names, so a report's first sentence ("IOC, seen today") stays free text.
  const first = text.trimStart().split(/\r?\n/, 1)[0] ?? '';
  const mapping = first.includes(',') ? proposeCsvMapping(first.split(',').map((h) => h.replace(/^"|"$/g, ''))) : undefined;
  if (mapping && mapping.filter((f) => f !== 'ignore').length >= 2) return 'csv';
  return 'text';
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ImportError(`${what}: the file is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** Reads `content` as `format` (or recognizes it) into judged candidates; a malformed file throws ImportError. */
export function parseImport(content: string, format: ImportFormat | 'auto', opts: ParseImportOptions = {}): ParsedImport {
  const fmt = format === 'auto' ? detectFormat(opts.name ?? '', content) : format;
  const total = content.length;
  const out: ParsedImport = { format: fmt, candidates: [], skippedRows: [] };
  if (fmt === 'text') {
    out.candidates = extractIndicators(content, { onProgress: opts.onProgress }).candidates;
  } else {
    opts.onProgress?.(0, total);
    if (fmt === 'csv') {
      const r = readCsv(content, opts.mapping);
      out.candidates = r.candidates;
      out.csv = { header: r.header, mapping: r.mapping, skipped: r.skipped };
      out.skippedRows = r.skipped.map((s) => ({ value: s.value, reason: `row ${s.row}: ${s.reason}` }));
    } else if (fmt === 'stix') {
      out.candidates = importStix(parseStixText(content));
    } else {
      out.candidates = importMisp(parseJson(content, 'MISP'));
      // The MISP importer keeps its context attributes as candidates with a reason; they are skipped,
      // not refused: the file is right, they are just not indicators (its own rule says which).
      for (const c of out.candidates) if (c.error && mispSkipReason(c.type, c.original)) c.skip = c.error;
    }
    opts.onProgress?.(total, total);
  }
  for (const c of out.candidates) {
    // An importer's own "not an indicator, on purpose" (a STIX LIKE comparison): skipped, not refused.
    if (c.error && (c as Candidate & { skipped?: boolean }).skipped) c.skip = c.error;
    judge(c);
  }
  return out;
}

/**
 * The item schema's verdict, as `indicator:bulkCreate` gives it (`<field>: <message>`), so the preview
 * shows a bad tag or an over-long source before the commit refuses it.
 */
function judge(c: ImportCandidate): void {
  if (c.error || c.skip) return;
  const r = indicatorItemSchema.safeParse(candidateToItem(c, 'CLEAR'));
  if (r.success) return;
  const issue = r.error.issues[0];
  c.error = `${issue?.path.join('.') || 'item'}: ${issue?.message ?? 'invalid'}`;
}

/** The key a user's choice names a candidate by (as the board's existing keys): `type|value`. */
export const candidateKey = (c: Pick<Candidate, 'type' | 'value'>): string => indicatorKey(c.type, c.value);

export interface ImportChoices {
  /** Keys (`type|value`) the user unticked. */
  exclude?: readonly string[] | undefined;
  /**
   * Probably benign candidates (documentation ranges, MISP `to_ids` off...) are left out unless this is
   * true, as the dialog leaves them unticked; the dialog sends true and lists what its user unticked.
   */
  keepBenign?: boolean | undefined;
  /**
   * The workspace's teams, when the caller knows them (the dialog): each row's team codes are then
   * checked with the marking normalization the server applies, so a row naming an unknown team is
   * shown refused, with the server's reason, before the commit. The server leaves this to bulkCreate.
   */
  teams?: readonly KnownTeam[] | undefined;
  /** For rows the file gives none: their TLP level and teams (codes), and their status. */
  defaults?:
    | {
        marking?: { tlp?: TlpLevel | undefined; releasableTo?: string[] | undefined } | undefined;
        status?: IndicatorStatus | undefined;
        /** Added to every row, beside its own tags. */
        tags?: string[] | undefined;
      }
    | undefined;
}

export interface ImportPlan {
  /**
   * What is sent to bulkCreate, with the candidate each item came from; `sighting` marks the items that
   * only record a sighting the file holds (never counted as a new or merged indicator).
   */
  items: { item: IndicatorItemInput; candidate: ImportCandidate; sighting?: true }[];
  rejected: { value: string; reason: string }[];
  skipped: { value: string; reason: string }[];
}

/** What a commit would send: the user's choices applied to the judged candidates. */
export function planImport(parsed: ParsedImport, choices: ImportChoices, workspaceTlp: TlpLevel): ImportPlan {
  const exclude = new Set(choices.exclude ?? []);
  const marking = choices.defaults?.marking;
  const plan: ImportPlan = { items: [], rejected: [], skipped: [...parsed.skippedRows] };
  for (const c of parsed.candidates) {
    if (c.skip) plan.skipped.push({ value: c.value, reason: c.skip });
    else if (c.error) plan.rejected.push({ value: c.value, reason: c.error });
    else if (exclude.has(candidateKey(c))) plan.skipped.push({ value: c.value, reason: 'left out by the user' });
    else if (c.benign && !choices.keepBenign) plan.skipped.push({ value: c.value, reason: `probably benign: ${c.benign}` });
    else {
      const item = candidateToItem(c, marking?.tlp ?? workspaceTlp);
      // The file's own teams win; the defaults apply only to a row without any (as its TLP).
      if (!item.releasableTo && marking?.releasableTo?.length) item.releasableTo = marking.releasableTo;
      if (!item.status && choices.defaults?.status) item.status = choices.defaults.status;
      if (choices.defaults?.tags?.length) item.tags = [...new Set([...(item.tags ?? []), ...choices.defaults.tags])];
      const teamsOk = choices.teams && item.releasableTo?.length ? normalizeMarking({ tlp: item.tlp ?? workspaceTlp, releasableTo: item.releasableTo }, choices.teams) : undefined;
      if (teamsOk && !teamsOk.ok) plan.rejected.push({ value: c.value, reason: teamsOk.message });
      else plan.items.push({ item, candidate: c });
    }
  }
  // The sightings the file recorded (MISP, STIX), after every item: each is a later item of the same
  // value, which bulkCreate records as a sighting of the indicator the first one made; with its marking,
  // teams included, so that if that item is refused they are refused too.
  for (const { item, candidate } of [...plan.items]) {
    for (const s of candidateSightingItems(candidate, item.tlp ?? workspaceTlp)) {
      plan.items.push({ item: { ...s, ...(item.releasableTo?.length ? { releasableTo: item.releasableTo } : {}) }, candidate, sighting: true });
    }
  }
  return plan;
}

/**
 * One runner for every folder of test/fixtures/interop: each public file is imported through the entry
 * point the product uses for its format and checked against the `expected.json` beside it. Those
 * expectations were written by hand from reading the files (README.md in each folder says why, file by
 * file); nothing here derives them from the code under test.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseImport, type ImportCandidate } from '../importFormats.js';
import { importLayer } from '../../attack/layer.js';

const ROOT = new URL('../../../../test/fixtures/interop/', import.meta.url);

/** What a folder's expected.json says of one indicator file. Keys are `type|normalized value`. */
interface IndicatorExpectation {
  /** The exact set of candidates offered without an error. */
  created?: string[];
  /** For long files: how many per type, and some values that must be among them. */
  createdCounts?: Record<string, number>;
  createdIncludes?: string[];
  /** Rows or objects shown with a reason and never committed. */
  skipped?: number;
  /** Reasons (substrings) of the skipped ones, in order. */
  skippedReasons?: string[];
  /** Created values flagged probably benign (the preview unticks them). */
  unticked?: string[];
  tlp?: Record<string, string | null>;
  techniques?: Record<string, string[]>;
  tags?: Record<string, string[]>;
  status?: Record<string, string | null>;
  source?: Record<string, string>;
  comment?: Record<string, string>;
  confidence?: Record<string, number>;
  /** End of validity in UTC (STIX valid_until); null: none. Expired ones stay ticked (validity.ts says why). */
  validUntil?: Record<string, string | null>;
  releasableTo?: Record<string, string[]>;
  sightings?: Record<string, number>;
  /** The file is refused as a whole, with this text in the message. */
  error?: string;
  /**
   * Why the importer does not yet give this (hand-written, correct) outcome. The file is then run as an
   * expected failure: the test turns red the day the importer catches up, and this note goes.
   */
  gap?: string;
}

interface LayerExpectation {
  team: string;
  domain: 'enterprise-attack' | 'mobile-attack' | 'ics-attack';
  /** Number of marks, and the status (and score, when given) of named techniques. */
  marks: number;
  /** The status every mark has, when the layer gives them all one. */
  everyStatus?: string;
  statuses?: Record<string, string>;
  scores?: Record<string, number | null>;
  error?: string;
}

interface Folder<T> {
  format: 'csv' | 'misp' | 'stix' | 'navigator';
  files: Record<string, T>;
}

/** What the import pipeline makes of a file: its judged candidates and the rows it set aside before them. */
interface Reading {
  candidates: ImportCandidate[];
  /** Skipped before becoming candidates (CSV rows MISP marks as context), with their reason. */
  setAside: string[];
}

/** The product's one reading step (the preview and the server's import route both run it). */
function importIndicators(format: 'csv' | 'misp' | 'stix', text: string): Reading {
  const parsed = parseImport(text, format);
  return { candidates: parsed.candidates, setAside: parsed.skippedRows.map((s) => s.reason) };
}

const keyOf = (c: ImportCandidate) => `${c.type}|${c.value}`;

/** A candidate's sighting count, however the importer carries it (a number, or a list of sightings with counts). */
function sightingCount(c: ImportCandidate): number {
  const s = (c as unknown as { sightings?: unknown }).sightings;
  if (typeof s === 'number') return s;
  if (Array.isArray(s))
    return s.reduce((n: number, x: unknown) => n + (x && typeof x === 'object' && typeof (x as { count?: unknown }).count === 'number' ? (x as { count: number }).count : 1), 0);
  return 0;
}

const folders = readdirSync(ROOT, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe('interop fixtures: every folder has an expected.json naming each of its files', () => {
  it.each(folders)('%s', (folder) => {
    const expected = JSON.parse(readFileSync(new URL(`${folder}/expected.json`, ROOT), 'utf8')) as Folder<unknown>;
    const files = readdirSync(new URL(`${folder}/`, ROOT)).filter((f) => f !== 'README.md' && f !== 'expected.json');
    expect(Object.keys(expected.files).sort()).toEqual(files.sort());
  });
});

// A folder without expected.json fails the test above; its files are not run here.
for (const folder of folders.filter((f) => existsSync(new URL(`${f}/expected.json`, ROOT)))) {
  const spec = JSON.parse(readFileSync(new URL(`${folder}/expected.json`, ROOT), 'utf8')) as Folder<IndicatorExpectation | LayerExpectation>;
  const read = (name: string) => readFileSync(new URL(`${folder}/${name}`, ROOT), 'utf8');

  describe(`interop fixtures: ${folder}/`, () => {
    if (spec.format === 'navigator') {
      it.each(Object.entries(spec.files as Record<string, LayerExpectation>))('%s', (name, want) => {
        const r = importLayer(JSON.parse(read(name)), want.team, want.domain);
        if (want.error !== undefined) {
          expect(r.ok ? 'imported' : r.error).toContain(want.error);
          return;
        }
        if (!r.ok) throw new Error(`${name} was refused: ${r.error}`);
        expect(r.marks).toHaveLength(want.marks);
        if (want.everyStatus) expect(new Set(r.marks.map((m) => m.status))).toEqual(new Set([want.everyStatus]));
        const mark = (id: string) => r.marks.find((m) => m.techniqueId === id);
        for (const [id, status] of Object.entries(want.statuses ?? {})) expect(mark(id)?.status, `${id} status`).toBe(status);
        for (const [id, score] of Object.entries(want.scores ?? {})) expect(mark(id)?.score ?? null, `${id} score`).toBe(score);
      });
      return;
    }

    const format = spec.format;
    const check = (name: string, want: IndicatorExpectation) => {
      if (want.error !== undefined) {
        expect(() => importIndicators(format, read(name))).toThrow(want.error);
        return;
      }
      const { candidates, setAside } = importIndicators(format, read(name));
      const created = candidates.filter((c) => !c.error && !c.skip);
      const byKey = new Map(created.map((c) => [keyOf(c), c]));
      const one = (key: string) => {
        const c = byKey.get(key);
        if (!c) throw new Error(`${name}: ${key} was not created (created: ${[...byKey.keys()].join(', ')})`);
        return c;
      };

      if (want.created) expect([...byKey.keys()].sort()).toEqual([...want.created].sort());
      if (want.createdCounts) {
        const counts: Record<string, number> = {};
        for (const c of created) counts[c.type] = (counts[c.type] ?? 0) + 1;
        expect(counts).toEqual(want.createdCounts);
      }
      for (const key of want.createdIncludes ?? []) one(key);

      const skippedReasons = [...candidates.flatMap((c) => (c.error || c.skip ? [c.skip ?? c.error!] : [])), ...setAside];
      if (want.skipped !== undefined) expect(skippedReasons, 'skipped, with their reasons').toHaveLength(want.skipped);
      if (want.skippedReasons) expect(skippedReasons).toEqual(want.skippedReasons.map((r) => expect.stringContaining(r)));

      if (want.unticked)
        expect(
          created
            .filter((c) => c.benign)
            .map(keyOf)
            .sort(),
          'flagged probably benign',
        ).toEqual([...want.unticked].sort());
      for (const [key, tlp] of Object.entries(want.tlp ?? {})) expect(one(key).tlp ?? null, `${key} TLP`).toBe(tlp);
      for (const [key, ids] of Object.entries(want.techniques ?? {})) expect([...(one(key).techniques ?? [])].sort(), `${key} techniques`).toEqual([...ids].sort());
      for (const [key, tags] of Object.entries(want.tags ?? {})) expect(one(key).tags ?? [], `${key} tags`).toEqual(tags);
      for (const [key, status] of Object.entries(want.status ?? {})) expect(one(key).status ?? null, `${key} status`).toBe(status);
      for (const [key, source] of Object.entries(want.source ?? {})) expect(one(key).source ?? '', `${key} source`).toContain(source);
      for (const [key, comment] of Object.entries(want.comment ?? {})) expect(one(key).comment ?? '', `${key} comment`).toContain(comment);
      for (const [key, confidence] of Object.entries(want.confidence ?? {})) expect(one(key).confidence, `${key} confidence`).toBe(confidence);
      for (const [key, until] of Object.entries(want.validUntil ?? {})) expect(one(key).validUntil ?? null, `${key} validUntil`).toBe(until);
      for (const [key, teams] of Object.entries(want.releasableTo ?? {})) expect(one(key).releasableTo ?? [], `${key} releasable to`).toEqual(teams);
      for (const [key, n] of Object.entries(want.sightings ?? {})) expect(sightingCount(one(key)), `${key} sightings`).toBe(n);
    };
    for (const [name, want] of Object.entries(spec.files as Record<string, IndicatorExpectation>)) {
      if (want.gap) it.fails(`${name} (known gap: ${want.gap})`, () => check(name, want));
      else it(name, () => check(name, want));
    }
  });
}

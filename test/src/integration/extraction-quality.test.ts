/**
 * The extraction corpus (test/fixtures/extraction, issue 17) and Huntroom's extractor held to it: the
 * corpus is what the issue asks for (20+ public documents, 600+ labelled indicators, two languages,
 * origin and licence for each, values stored normalized), the scorer counts what it claims on a known
 * case, and Huntroom's recall and precision over the whole corpus reach the target. The same
 * scoring module runs `npm run bench:iocs -- --quality`, so the bench and this test cannot disagree.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalizeIndicator } from '@huntroom/shared';
import { CORPUS_DIR, loadCorpus, matchKey, scoreCorpus, scoreDocument, type Truth } from '../../bench/extraction-quality.mjs';

// Issue 17: "recall >= 98 % and precision >= 98 % on that corpus".
const TARGET = { recall: 0.98, precision: 0.98 };

const corpus = loadCorpus();
const isPublic = (t: Truth) => !t.document.startsWith('huntroom-');

describe('extraction corpus', () => {
  it('has 20+ public documents and 600+ labelled indicators, in English and another language', () => {
    const publicDocs = corpus.filter((d) => isPublic(d.truth));
    expect(publicDocs.length).toBeGreaterThanOrEqual(20);
    expect(corpus.reduce((n, d) => n + d.truth.indicators.length, 0)).toBeGreaterThanOrEqual(600);
    const languages = new Set(publicDocs.map((d) => d.truth.language));
    expect(languages.has('en')).toBe(true);
    expect(languages.size).toBeGreaterThanOrEqual(2);
  });

  it('gives every document its file, origin, licence and kind', () => {
    for (const { truth } of corpus) {
      expect(existsSync(`${CORPUS_DIR}${truth.document}`), truth.document).toBe(true);
      expect(truth.licence, truth.document).toMatch(/\S/);
      expect(truth.kind, truth.document).toMatch(/\S/);
      expect(truth.origin.repository, truth.document).toMatch(/\S/);
      expect(truth.origin.path, truth.document).toMatch(/\S/);
      if (isPublic(truth)) expect(truth.origin.commit, truth.document).toMatch(/^[0-9a-f]{40}$/);
    }
  });

  it('stores each label normalized as Huntroom normalizes it, and no value in both lists', () => {
    for (const { truth } of corpus) {
      for (const i of truth.indicators) {
        const n = normalizeIndicator(i.type, i.value);
        expect(n.ok ? n.value : n.error, `${truth.document}: ${i.type} ${i.value}`).toBe(i.value);
        if (i.port !== undefined) expect(i.type).toMatch(/^ip-(src|dst)$/);
      }
      // A value may be right as one type and wrong as another (an MD5 that also reads as a Bitcoin address).
      const keys = new Set(truth.indicators.map((i) => matchKey(i.type, i.value)));
      for (const n of truth.notIndicators) {
        expect(n.reason, `${truth.document}: ${n.value}`).toMatch(/^[a-z-]+$/);
        expect(keys.has(matchKey(n.type, n.value)), `${truth.document}: ${n.type} ${n.value} is in both lists`).toBe(false);
      }
    }
  });
});

describe('scorer', () => {
  it('matches compatible types, ignores ports and counts labelled-not and unlabelled offers against precision', () => {
    const truth: Truth = {
      document: 'x.txt',
      origin: { repository: 'r', path: 'p', commit: 'c' },
      licence: 'MIT',
      language: 'en',
      kind: 'test',
      indicators: [
        { type: 'hostname', value: 'c2.evil.top' },
        { type: 'ip-dst', value: '45.133.216.19', port: 8443 },
        { type: 'url', value: 'http://drop.evil.top/a.bin' },
        { type: 'sha1', value: '3f1ffb5ee5dd6712999ca82371bf8b755c8a873f' },
      ],
      notIndicators: [{ type: 'ip-dst', value: '4.1.0.2', reason: 'version' }],
    };
    const score = scoreDocument(truth, [
      { type: 'domain', value: 'C2.EVIL.TOP' }, // domain ~ hostname, case folded
      { type: 'ip-src', value: '45.133.216.19:8443' }, // ip-src ~ ip-dst, port is context
      { type: 'url', value: 'drop.evil.top/a.bin' }, // scheme-less reads as http://
      { type: 'domain', value: 'drop.evil.top' }, // host of a labelled URL: neither credit nor penalty
      { type: 'filename', value: 'a.bin' }, // file names are not scored
      { type: 'ip-dst', value: '4.1.0.2' }, // labelled not to import
      { type: 'domain', value: 'setup.zip' }, // not labelled at all
    ]);
    expect(score.truePositives.map((v) => v.key).sort()).toEqual(['domain|c2.evil.top', 'ip|45.133.216.19', 'url|http://drop.evil.top/a.bin']);
    expect(score.falsePositives.map((v) => [v.value, v.reason])).toEqual([
      ['4.1.0.2', 'version'],
      ['setup.zip', undefined],
    ]);
    expect(score.falseNegatives.map((v) => v.value)).toEqual(['3f1ffb5ee5dd6712999ca82371bf8b755c8a873f']);
    expect(score.ignored.map((v) => v.value).sort()).toEqual(['a.bin', 'drop.evil.top']);
  });
});

describe('Huntroom extraction on the corpus', () => {
  it(`reaches recall >= ${TARGET.recall * 100} % and precision >= ${TARGET.precision * 100} % overall`, () => {
    const { overall, documents } = scoreCorpus(corpus);
    const h = overall.huntroom;
    // On failure the message names the documents that cost the most, to start from.
    const worst = documents
      .map((d) => ({ name: d.name, fp: d.tools.huntroom!.falsePositives.length, fn: d.tools.huntroom!.falseNegatives.length }))
      .filter((d) => d.fp + d.fn > 0)
      .sort((a, b) => b.fp + b.fn - (a.fp + a.fn))
      .slice(0, 5)
      .map((d) => `${d.name} (${d.fp} FP, ${d.fn} FN)`)
      .join(', ');
    expect(h.recall, `recall ${h.tp}/${h.labelled}; worst: ${worst}`).toBeGreaterThanOrEqual(TARGET.recall);
    expect(h.precision, `precision ${h.tp}/${h.tp + h.fp}; worst: ${worst}`).toBeGreaterThanOrEqual(TARGET.precision);
  });
});

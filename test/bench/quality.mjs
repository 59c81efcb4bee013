// `npm run bench:iocs -- --quality [--verbose]`: recall and precision of Huntroom's extractor and of
// ioc-extractor on the labelled corpus (test/fixtures/extraction), side by side: overall, per type and
// per document. With --verbose, each document's false positives (offered, not labelled to import; the
// label's reason when it was labelled "not to import") and false negatives, so the truth can be reviewed.
// The scoring and its matching rule are in extraction-quality.mjs.
import { loadCorpus, scoreCorpus, TOOLS } from './extraction-quality.mjs';

const pct = (x) => (x === null || x === undefined ? 'n/a' : `${(x * 100).toFixed(1)} %`);

export function printQuality({ verbose = false } = {}) {
  const corpus = loadCorpus();
  const result = scoreCorpus(corpus);
  const labelled = corpus.reduce((n, d) => n + d.truth.indicators.length, 0);
  const notLabelled = corpus.reduce((n, d) => n + d.truth.notIndicators.length, 0);
  const languages = [...new Set(corpus.map((d) => d.truth.language))].join(', ');
  console.log(`corpus: ${corpus.length} documents (${languages}), ${labelled} indicators to import, ${notLabelled} values labelled not to import\n`);

  const head = TOOLS.map((t) => `${t.label} recall | ${t.label} precision`).join(' | ');
  const sep = TOOLS.map(() => '---|---').join('|');
  console.log(`| overall | ${head} |\n|---|${sep}|`);
  const o = result.overall;
  console.log(
    `| ${labelled} labelled | ${TOOLS.map((t) => `${pct(o[t.id].recall)} (${o[t.id].tp}/${o[t.id].labelled}) | ${pct(o[t.id].precision)} (${o[t.id].tp}/${o[t.id].tp + o[t.id].fp})`).join(' | ')} |`,
  );

  console.log(`\n| type | labelled | ${head} |\n|---|---|${sep}|`);
  for (const [type, byTool] of Object.entries(result.byType).sort(([a], [b]) => a.localeCompare(b))) {
    const n = byTool[TOOLS[0].id]?.labelled ?? 0;
    const cells = TOOLS.map((t) => {
      const s = byTool[t.id] ?? { tp: 0, fp: 0, labelled: 0, recall: null, precision: null };
      return `${n ? `${pct(s.recall)} (${s.tp})` : '-'} | ${s.tp + s.fp ? `${pct(s.precision)} (${s.tp}/${s.tp + s.fp})` : '-'}`;
    });
    console.log(`| ${type === 'ip' ? 'ip-src/ip-dst' : type === 'domain' ? 'domain/hostname' : type} | ${n} | ${cells.join(' | ')} |`);
  }

  console.log(`\n| document | lang | labelled | ${head} |\n|---|---|---|${sep}|`);
  for (const d of result.documents) {
    const cells = TOOLS.map((t) => `${pct(d.tools[t.id].recall)} | ${pct(d.tools[t.id].precision)}`);
    console.log(`| ${d.name} | ${d.language} | ${d.labelled} | ${cells.join(' | ')} |`);
  }

  if (verbose) {
    for (const d of result.documents) {
      for (const t of TOOLS) {
        const s = d.tools[t.id];
        if (!s.falsePositives.length && !s.falseNegatives.length) continue;
        console.log(`\n## ${d.name}: ${t.label}`);
        for (const v of s.falsePositives) console.log(`  FP ${v.type}\t${v.value}${v.reason ? `\t(labelled not to import: ${v.reason})` : '\t(not labelled)'}`);
        for (const v of s.falseNegatives) console.log(`  FN ${v.type}\t${v.value}`);
      }
    }
  }
  console.log('');
  return result;
}

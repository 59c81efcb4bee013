/**
 * A stored run's fan-out and hot-room points judged again by the validity rule of this checkout
 * (scenarios/validity.mjs, with config.mjs's limits and flags), and its report written again:
 *
 *   node src/rejudge.mjs results/<stamp>.json [--max-writer-late=0.1 ...]
 *
 * Nothing measured changes: each point keeps its numbers, only `invalid`, `invalidBecause` and
 * `validityRule` are recomputed, then the medians (main.mjs's rule) and the markdown. The JSON records
 * the limits used and the verdicts it had before (`rejudged`), so a report says which rule it shows.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { config } from './config.mjs';
import { medianOfClean } from './stats.mjs';
import { judge, limitsOf } from './scenarios/validity.mjs';
import { markdown } from './report/markdown.mjs';

const file = process.argv.slice(2).find((a) => !a.startsWith('--'));
if (!file) throw new Error('usage: node src/rejudge.mjs results/<stamp>.json [--max-writer-late=...]');
const results = JSON.parse(readFileSync(file, 'utf8'));
const limits = limitsOf(config);
const before = [];

/** What validity.mjs needs of a point's load, as measured; recomputed from the run's config only for older runs. */
const DUE_FIELDS = ['cores', 'dueEditsPerSec', 'editIntervalMs', 'writers', 'windowSeconds'];
const storedDue = (p) => Object.fromEntries(DUE_FIELDS.filter((k) => p[k] !== undefined).map((k) => [k, p[k]]));

/**
 * Judges every repeat of `raw[server][key]` again. A point measured since the bench stored its due
 * load keeps it (its `windowSeconds` is the real window, not the configured one); `due(point)`
 * computes the rest from the run's config for points that predate that.
 */
function again(raw, median, due) {
  for (const [server, byKey] of Object.entries(raw)) {
    for (const [key, points] of Object.entries(byKey)) {
      for (const p of points) {
        if (p.error) continue;
        const verdict = judge(p, { cores: 1, ...due(p), ...storedDue(p) }, limits);
        before.push({ server, key, was: p.invalidBecause ?? [], now: verdict.invalidBecause });
        Object.assign(p, verdict, { invalid: verdict.invalidBecause.length > 0 });
      }
      median[server][key] = medianOfClean(points);
    }
  }
}

const stored = results.config;
if (results.fanout) {
  const { rooms, editsPerSecond } = stored.fanout;
  const windowSeconds = stored.fanout.measureMs / 1000;
  again(results.fanout.raw, results.fanout.median, () => ({ dueEditsPerSec: rooms * editsPerSecond, editIntervalMs: 1000 / editsPerSecond, writers: rooms, windowSeconds }));
}
if (results.hotroom) {
  const raw = {};
  const median = {};
  // Stored by writers, then server: turned around for again(), then back.
  for (const [writers, byServer] of Object.entries(results.hotroom.raw)) {
    for (const [server, points] of Object.entries(byServer)) {
      (raw[server] ??= {})[writers] = points;
      median[server] ??= {};
    }
  }
  const eps = stored.hotroom.editsPerSecond;
  const windowSeconds = stored.hotroom.measureMs / 1000;
  again(raw, median, (p) => ({ dueEditsPerSec: p.writersPerRoom * eps, editIntervalMs: 1000 / eps, writers: p.writersPerRoom, windowSeconds }));
  for (const [server, byWriters] of Object.entries(median)) for (const [writers, m] of Object.entries(byWriters)) results.hotroom.median[writers][server] = m;
}
const changed = before.filter((b) => b.was.join() !== b.now.join());
results.rejudged = { at: new Date().toISOString(), limits, changed };
results.config = { ...stored, ...limits };
writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
writeFileSync(file.replace(/\.json$/, '.md'), markdown(results));
console.log(`${before.length} points judged again with ${JSON.stringify(limits)}; ${changed.length} changed:`);
for (const c of changed) console.log(`  ${c.server} ${c.key}: ${c.was.join('; ') || 'valid'} -> ${c.now.join('; ') || 'valid'}`);

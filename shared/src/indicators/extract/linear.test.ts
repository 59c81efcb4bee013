/**
 * Extraction is linear on any input (issue 17): 1 MB of each shape that made a regex quadratic, and a
 * few more, must each be read in at most max(1 s, 5 x the time of 1 MB of normal report text measured
 * here). The baseline is measured in the same run because the machine may be busy with other jobs: a
 * quadratic rule takes minutes on 1 MB (13-26 s on 100 KB before the fix), so 5 x a normal megabyte
 * still tells linear from quadratic by orders of magnitude, while a loaded machine does not fail it.
 * Time is this process's CPU time (process.cpuUsage): other engineers' jobs on the same cores stretch
 * the wall clock, not the work done here. The wall time is in the failure message too.
 */
import { describe, expect, it } from 'vitest';
import { extractIndicators } from './index.js';

const MB = 1_000_000;

/** CPU milliseconds (user + system) and wall milliseconds of `run`. */
function timed<T>(run: () => T): { ms: number; wall: number; result: T } {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const result = run();
  const used = process.cpuUsage(cpu);
  return { ms: (used.user + used.system) / 1000, wall: performance.now() - t, result };
}
const fill = (unit: string): string => unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);

const SHAPES: Record<string, string> = {
  'dotted letters a.a.a.a': fill('a.'),
  'hyphen run a-a-a-a': fill('a-'),
  'digit-dot run 1.1.1.1': fill('1.'),
  'long digit-dot groups 123.123.': fill('123.'),
  'colon-hex run a:a:a:a': fill('a:'),
  'colon-hex groups dead:beef:': fill('dead:beef:'),
  'double colons ::::': fill(':'),
  '@ run': fill('@'),
  'a@a@a@': fill('a@'),
  'dotted local parts a.a.a.a@': fill('a.') + '@x',
  'backslash run': fill('\\'),
  'drive and backslashes C:\\a\\a': `C:${fill('\\a')}`,
  'folders with spaces C:\\a b\\a b': `C:${fill('\\a b')}`,
  'registry folders with spaces': `HKLM${fill('\\a b')}`,
  '% run': fill('%'),
  '%a%\\ run': fill('%a%\\'),
  'slash run /tmp/tmp': fill('/tmp'),
  'hex run': fill('ab'),
  'base58 run': fill('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN'),
  'ssdeep-like 1:a:1:a': fill('1:aaa:'),
  'URL scheme run http://http://': fill('http://'),
  'closing brackets after a URL': `http://x.top/${fill(')')}`,
  'trailing dots after a URL': `http://x.top/${fill('.')}`,
  'defanged dots [.][.]': fill('a[.]'),
  'IPv4 with ports 1.1.1.1:1:1:1': fill('1.1.1.1:1'),
  'versions 1.2.3.4.5.6': fill('1.2.3.4.'),
  'one 1 MB line of words, no newline': fill('the quick brown fox evil.top 10.1.2.3 '),
  'one 1 MB token of letters': fill('abcdefghij'),
  'empty lines': fill('\n'),
  'one-character lines': fill('#\n'),
  'e-mail header continuations': `Received: x\n${fill(' a\n')}`,
  'tab-separated table under a password column': `hash\tpassword\n${fill('a\tb\t1.2.3.4\t')}`,
  'table rows under a password column': `hash\tpassword\n${fill('x\t5f4dcc3b5aa765d61d8327deb882cf99\n')}`,
  'named pipe run \\\\pipe\\\\': fill('\\\\pipe'),
  'dots after a slash /...': fill('/tmp/...'),
  'distinct addresses, 100,000 of them': Array.from({ length: 100_000 }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`)
    .join(' ')
    .padEnd(MB, ' '),
  'distinct defanged URLs': Array.from({ length: 30_000 }, (_, i) => `hxxp://h${i}[.]evil[.]top/p`)
    .join('\n')
    .padEnd(MB, ' '),
  'references list': `references:\n${fill('  - http://a.top/\n')}`,
};

describe('linear time on adversarial input', () => {
  // A normal 1 MB report: prose and IOC tables, every value distinct (as in a real IOC list, where
  // de-duplication saves nothing), so the baseline costs what a dense real paste costs per byte.
  const rows: string[] = [];
  for (let i = 0, size = 0; size < MB; i++) {
    const row =
      i % 4 === 0
        ? `The actor staged C:\\Users\\Public\\svc${i}.exe and set HKCU\\Software\\Run\\svc${i}, beaconing every 60 s (version 4.1.0.${i % 9}).`
        : `45.${(i >> 8) & 255}.${i & 255}.9:8443\thxxps://login-${i}[.]update-cdn[.]top/auth.php\t${(i * 2654435761).toString(16).padStart(8, '0').repeat(8)}\top${i}@mail-relay.ru`;
    rows.push(row);
    size += row.length + 1;
  }
  const normal = rows.join('\n');
  let budget = 0;

  it('measures the machine: 1 MB of normal report text with distinct indicators', () => {
    extractIndicators(normal); // warm up the regex compiler and the JIT
    const { ms, result } = timed(() => extractIndicators(normal));
    expect(result.candidates.length).toBeGreaterThan(10_000);
    budget = Math.max(1000, 5 * ms);
  });

  for (const [name, text] of Object.entries(SHAPES)) {
    it(`reads 1 MB of "${name}" within the budget`, () => {
      expect(text.length).toBeGreaterThanOrEqual(MB);
      expect(budget, 'the baseline ran first').toBeGreaterThan(0);
      const { ms, wall } = timed(() => extractIndicators(text));
      expect(ms, `${name}: ${ms.toFixed(0)} ms of CPU (${wall.toFixed(0)} ms wall), budget ${budget.toFixed(0)} ms`).toBeLessThanOrEqual(budget);
    });
  }
});

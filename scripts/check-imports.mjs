#!/usr/bin/env node
// Keeps the package graph one-way (STYLE.md): shared imports no other package of ours; server and
// client import only shared; test may import all. Also keeps Node built-ins out of shared and client,
// which run in the browser. Exits 1 listing every offending import.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const RULES = {
  shared: { forbidden: [/^@huntroom\//, /^node:/] },
  server: { forbidden: [/^@huntroom\/(client|test|server)/] },
  client: { forbidden: [/^@huntroom\/(server|test|client)/, /^node:/] },
};
const IMPORT = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function* sources(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* sources(p);
    else if (/\.(ts|tsx|mts)$/.test(name) && !/\.test\.tsx?$/.test(name)) yield p;
  }
}

const problems = [];
for (const [pkg, rule] of Object.entries(RULES)) {
  for (const file of sources(join(root, pkg, 'src'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const spec = m[1] ?? m[2];
      if (rule.forbidden.some((re) => re.test(spec))) problems.push(`${relative(root, file)}: ${pkg} may not import "${spec}"`);
    }
  }
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('imports: the package graph is one-way');

#!/usr/bin/env node
// Regenerates the ATT&CK data the product ships (server/data/attack/<domain>.json.gz) from MITRE's
// STIX bundles: `pnpm --filter @huntroom/server build && node scripts/attack/build-data.mjs <folder>`
// where <folder> holds enterprise-attack.json, ics-attack.json and mobile-attack.json. The conversion
// is the server's own (stixToIndex), the same code that takes an owner's import at run time.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { stixToIndex } from '../../server/dist/attack/stixToIndex.js';

const [folder, ...pairs] = process.argv.slice(2);
if (!folder) {
  console.error('usage: node scripts/attack/build-data.mjs <folder with the bundles> [domain=version ...]');
  process.exit(2);
}
// The enterprise bundle (STIX 2.0, assembled from per-object files) carries no collection object and
// so no release number: give it here, as the bundles' README states them.
const versions = { 'enterprise-attack': '18.1', 'ics-attack': '18.1', 'mobile-attack': '17.1' };
for (const p of pairs) {
  const [d, v] = p.split('=');
  versions[d] = v;
}
const out = join(dirname(fileURLToPath(import.meta.url)), '../../server/data/attack');
for (const domain of Object.keys(versions)) {
  const index = stixToIndex(JSON.parse(readFileSync(join(folder, `${domain}.json`), 'utf8')), versions[domain]);
  const gz = gzipSync(JSON.stringify(index), { level: 9 });
  writeFileSync(join(out, `${domain}.json.gz`), gz);
  console.log(
    `${domain} v${index.version}: ${index.tactics.length} tactics, ${index.techniques.length} techniques ` +
      `(${index.techniques.filter((t) => t.parent).length} sub-techniques), ${index.groups.length} groups, ${index.software.length} software; ${(gz.length / 1024).toFixed(0)} KiB`,
  );
}

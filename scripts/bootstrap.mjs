#!/usr/bin/env node
// The two-command entry point: `npm start` and `npm test` on a machine that has only Node 20 and npm.
// It installs pnpm 10 into ./.tools with npm when no pnpm 10 is on the PATH (Corepack's download is not
// relied on), installs the workspace's dependencies from the committed lockfile, builds, and then runs
// the requested command. Each step is skipped when it has nothing to do, so a second `npm start` is quick.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// `npm start` runs the bundled server (server/bundle.mjs): Node 20 starts it in about half the time of the
// ~500 modules of server/dist/main.js (docs/performance.md, "Start-up, 2026-11-29 (night): bundled server").
const SERVER_BUNDLE = 'server/dist/bundle/main.js';
const PNPM_VERSION = '10';
const [command = 'start', ...rest] = process.argv.slice(2);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

function must(cmd, args, what) {
  const code = run(cmd, args);
  if (code !== 0) {
    console.error(`huntroom: ${what} failed (exit ${code})`);
    process.exit(code);
  }
}

function pnpmBinary() {
  const local = join(root, '.tools', 'node_modules', '.bin', 'pnpm');
  if (existsSync(local)) return local;
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0 && probe.stdout.trim().startsWith(`${PNPM_VERSION}.`)) return 'pnpm';
  console.log(`huntroom: installing pnpm ${PNPM_VERSION} into .tools with npm`);
  must('npm', ['install', '--no-save', '--no-package-lock', '--prefix', join(root, '.tools'), `pnpm@${PNPM_VERSION}`], 'installing pnpm');
  return local;
}

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function needsInstall() {
  const marker = join(root, 'node_modules', '.modules.yaml');
  if (!existsSync(marker)) return true;
  return statSync(join(root, 'pnpm-lock.yaml')).mtimeMs > statSync(marker).mtimeMs;
}

function needsBuild() {
  const outputs = ['shared/dist/index.js', 'server/dist/main.js', SERVER_BUNDLE, 'server/dist/bundle/cli.js', 'client/dist/index.html'].map((p) => join(root, p));
  if (outputs.some((p) => !existsSync(p))) return true;
  const built = Math.min(...outputs.map((p) => statSync(p).mtimeMs));
  return ['shared', 'server', 'client'].some((pkg) => newestMtime(join(root, pkg)) > built);
}

/**
 * `npm run lint`, and the first half of `npm test`: the import rules, the types of every package (tests
 * included), ESLint with type information, and Prettier's check. Every step runs even when an earlier one
 * failed, so one run lists everything to fix; the exit code is non-zero if any step failed.
 */
function lint() {
  const steps = [
    ['import check', 'node', ['scripts/check-imports.mjs']],
    ['typecheck', pnpm, ['-r', 'typecheck']],
    ['ESLint', pnpm, ['exec', 'eslint', '.', '--max-warnings', '0']],
    ['Prettier', pnpm, ['exec', 'prettier', '--check', '.']],
  ];
  const failed = steps.filter(([, cmd, args]) => run(cmd, args) !== 0).map(([what]) => what);
  if (failed.length) console.error(`huntroom: lint failed: ${failed.join(', ')}`);
  return failed.length ? 1 : 0;
}

const pnpm = pnpmBinary();
if (needsInstall()) must(pnpm, ['install', '--frozen-lockfile'], 'installing dependencies');

switch (command) {
  case 'install':
    break;
  case 'build':
    must(pnpm, ['-r', 'build'], 'build');
    break;
  case 'start':
    if (needsBuild()) must(pnpm, ['-r', 'build'], 'build');
    process.exit(run('node', [SERVER_BUNDLE, ...rest]));
    break;
  case 'cli':
    if (needsBuild()) must(pnpm, ['-r', 'build'], 'build');
    process.exit(run('node', ['server/dist/bundle/cli.js', ...rest]));
    break;
  case 'test': {
    must(pnpm, ['-r', 'build'], 'build');
    // Lint first, then the tests even when lint failed: one CI run reports both.
    const linted = lint();
    const tested = run(pnpm, ['-r', '--workspace-concurrency=1', 'test', ...rest]);
    if (linted !== 0) console.error('huntroom: the tests ran, but lint failed (see above)');
    process.exit(tested || linted);
    break;
  }
  case 'lint':
    // Type-aware lint reads the built declarations of shared and server.
    if (needsBuild()) must(pnpm, ['-r', 'build'], 'build');
    process.exit(lint());
    break;
  case 'bench-iocs':
    if (needsBuild()) must(pnpm, ['-r', 'build'], 'build');
    process.exit(run('node', ['test/bench/iocs.mjs', ...rest]));
    break;
  case 'bench':
    if (needsBuild()) must(pnpm, ['-r', 'build'], 'build');
    process.exit(run(pnpm, ['--filter', '@huntroom/bench', 'bench', ...rest]));
    break;
  default:
    console.error(`huntroom: unknown command "${command}" (start, test, build, cli, lint, bench)`);
    process.exit(2);
}

import { defineConfig } from 'vitest/config';

// Integration and browser suites start real servers (and Chromium): run files one at a time on
// this 2-core machine so timings stay honest, and give each test room for real I/O.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    // Node 20.20 aborted a test process twice in one CI run (2026-11-30: "FATAL ERROR:
    // v8::Module::IsGraphAsync must be used on an instantiated module", in require() of an ES module,
    // during two federation suites; Node's known race of require(esm) with import() of the same graph).
    // Without require(esm) that path is never taken: piscina loads the server's task file with
    // import() instead, and get-intrinsic skips its optional ES helpers (docs/architecture.md, "Two commands").
    execArgv: ['--no-experimental-require-module'],
  },
});

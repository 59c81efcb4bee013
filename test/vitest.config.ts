import { defineConfig } from 'vitest/config';

// Integration and browser suites start real servers (and Chromium): run files one at a time on
// this 2-core machine so timings stay honest, and give each test room for real I/O.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});

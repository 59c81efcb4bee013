import { defineConfig } from 'vitest/config';

// Some suites run whole-corpus checks (100,000 indicators, every pair of markings): correctness, not
// speed, is what they assert, so they get room on a machine busy with other work (speed is the bench's).
export default defineConfig({ test: { include: ['src/**/*.test.ts'], testTimeout: 30_000 } });

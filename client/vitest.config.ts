import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  resolve: {
    // The nmap reader's subpath first: an alias also matches what starts with its name and a slash.
    alias: {
      '@huntroom/shared/nmap': fileURLToPath(new URL('../shared/src/hunt/import/nmap.ts', import.meta.url)),
      '@huntroom/shared': fileURLToPath(new URL('../shared/src/index.ts', import.meta.url)),
    },
  },
  test: { include: ['src/**/*.test.ts', 'src/**/*.test.tsx'], environment: 'node', testTimeout: 20_000 },
});

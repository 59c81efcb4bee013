import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

// The client bundles shared/ from source, so a change there needs no separate build.
const shared = fileURLToPath(new URL('../shared/src/index.ts', import.meta.url));
const server = 'http://localhost:8080';

export default defineConfig({
  plugins: [react()],
  resolve: { alias: { '@huntroom/shared': shared } },
  build: { outDir: 'dist', sourcemap: true, chunkSizeWarningLimit: 2000 },
  server: {
    // No changeOrigin: the server's Origin check compares the browser's Origin with the Host header,
    // which must stay the dev server's for same-origin requests and websockets to pass.
    proxy: {
      '/api': server,
      '/healthz': server,
      '/socket.io': { target: server, ws: true },
      '/yjs': { target: server, ws: true },
    },
  },
});

import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { cpSync, createReadStream, existsSync, statSync } from 'node:fs';
import { join, normalize } from 'node:path';

// The client bundles shared/ from source, so a change there needs no separate build.
const shared = fileURLToPath(new URL('../shared/src/index.ts', import.meta.url));
const server = 'http://localhost:8080';

/**
 * Excalidraw's fonts, served from our own origin at /excalidraw-assets/fonts (see
 * src/features/whiteboards/assetPath.ts): copied into the build, and served from the package in dev.
 * No plugin does just this, and it is a dozen lines.
 */
const excalidrawFonts = fileURLToPath(new URL('./node_modules/@excalidraw/excalidraw/dist/prod/fonts', import.meta.url));
function excalidrawFontAssets(): Plugin {
  return {
    name: 'huntroom-excalidraw-fonts',
    configureServer(dev) {
      dev.middlewares.use('/excalidraw-assets/fonts', (req, res, next) => {
        const file = normalize(join(excalidrawFonts, decodeURIComponent((req.url ?? '').split('?')[0] ?? '')));
        if (!file.startsWith(excalidrawFonts) || !existsSync(file) || !statSync(file).isFile()) return next();
        res.setHeader('content-type', 'font/woff2');
        createReadStream(file).pipe(res);
      });
    },
    writeBundle(options) {
      cpSync(excalidrawFonts, join(options.dir ?? 'dist', 'excalidraw-assets', 'fonts'), { recursive: true });
    },
  };
}

export default defineConfig({
  plugins: [react(), excalidrawFontAssets()],
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

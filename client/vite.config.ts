import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { cpSync, createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, normalize } from 'node:path';

// The client bundles shared/ from source, so a change there needs no separate build.
const shared = fileURLToPath(new URL('../shared/src/index.ts', import.meta.url));
// The package's subpath export for the nmap reader (shared/package.json), listed before the package:
// an alias also matches what starts with its name and a slash, and the first that matches is taken.
const sharedNmap = fileURLToPath(new URL('../shared/src/hunt/import/nmap.ts', import.meta.url));
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

/**
 * The offline shell's service worker (src/sw/sw.js says what it caches and why): written into the
 * build with a version (a hash of the build's files, so each build gets a fresh cache) and the
 * entry's files to fetch at install. A plugin such as vite-plugin-pwa brings Workbox and its
 * manifest machinery for what is here one template and two substitutions.
 */
function serviceWorker(): Plugin {
  const template = fileURLToPath(new URL('./src/sw/sw.js', import.meta.url));
  return {
    name: 'huntroom-service-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      const shell = new Set<string>(['/']);
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk' || !file.isEntry) continue;
        for (const name of [file.fileName, ...file.imports, ...(file.viteMetadata?.importedCss ?? [])]) shell.add(`/${name}`);
      }
      const version = createHash('sha256').update(Object.keys(bundle).sort().join('\n')).digest('hex').slice(0, 16);
      const source = readFileSync(template, 'utf8')
        .replace("const VERSION = '__VERSION__';", `const VERSION = '${version}';`)
        .replace('const SHELL = __SHELL__;', `const SHELL = ${JSON.stringify([...shell])};`);
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}

export default defineConfig({
  plugins: [react(), excalidrawFontAssets(), serviceWorker()],
  resolve: { alias: { '@huntroom/shared/nmap': sharedNmap, '@huntroom/shared': shared } },
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

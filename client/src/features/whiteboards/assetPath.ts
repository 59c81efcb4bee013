/**
 * Excalidraw fetches its fonts from `window.EXCALIDRAW_ASSET_PATH`, else from a public CDN. Huntroom
 * runs on isolated networks and under a CSP that allows only its own origin, so the fonts are copied
 * into the build (client/vite.config.ts) and served from here. Excalidraw reads the path when its
 * module loads, and a bundler evaluates a lazy chunk's imports before its own code, so main.tsx
 * imports this file: setting it next to the canvas would be too late.
 */
declare global {
  interface Window {
    EXCALIDRAW_ASSET_PATH?: string | string[];
  }
}

export const EXCALIDRAW_ASSET_PATH = '/excalidraw-assets/';
window.EXCALIDRAW_ASSET_PATH = EXCALIDRAW_ASSET_PATH;

/**
 * Excalidraw always appends its CDN as a last font source, and Chromium reports a CSP violation for
 * every blocked source of a FontFace when it is created, even though ours load first. Keep only
 * same-origin (and data:) sources, so the page neither tries the internet nor logs dozens of errors.
 */
function ownSources(source: string): string {
  const kept = source.split(/,\s*(?=url\()/).filter((part) => {
    const url = /^\s*url\(["']?([^"')]+)["']?\)/.exec(part)?.[1];
    if (!url) return true;
    const parsed = new URL(url, location.href);
    return parsed.origin === location.origin || parsed.protocol === 'data:';
  });
  return kept.length > 0 ? kept.join(', ') : source;
}

const NativeFontFace = window.FontFace;
window.FontFace = class extends NativeFontFace {
  constructor(family: string, source: string | BufferSource, descriptors?: FontFaceDescriptors) {
    super(family, typeof source === 'string' ? ownSources(source) : source, descriptors);
  }
};

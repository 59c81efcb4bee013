/**
 * PNG and SVG export of the whole board, drawn by Excalidraw's own exporters (so shapes and fonts look
 * as on screen, in the dark theme the board is used in) and saved under the board's title. TLP 2.0
 * asks for the label on anything that leaves: a band at the top and the bottom of the image carries
 * the board's TLP label in FIRST's colours, on the same background as the board (tlpBands.ts).
 */
import { exportToCanvas, exportToSvg } from '@excalidraw/excalidraw';
import type { ExcalidrawImperativeAPI } from '@excalidraw/excalidraw/types';
import type { TlpLevel } from '@huntroom/shared';
import { throughDarkFilter } from './themeFilter.js';
import { pngWithBands, svgWithBands } from './tlpBands.js';

export type ImageFormat = 'png' | 'svg';

const fileName = (title: string, format: ImageFormat) => `${title.replace(/[^\p{L}\p{N} _.-]+/gu, '_').trim() || 'whiteboard'}.${format}`;

function save(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export async function exportImage(api: ExcalidrawImperativeAPI, title: string, format: ImageFormat, tlp: TlpLevel): Promise<void> {
  const elements = api.getSceneElements();
  if (elements.length === 0) throw new Error('The board is empty: nothing to export.');
  const appState = { ...api.getAppState(), exportBackground: true, exportWithDarkMode: true };
  // Excalidraw draws the dark export through its theme filter: the bands take the colour it gives the background.
  const background = throughDarkFilter(appState.viewBackgroundColor);
  const files = api.getFiles();
  const blob =
    format === 'png'
      ? await pngWithBands(await exportToCanvas({ elements, appState, files, exportPadding: 16 }), tlp, background)
      : svgWithBands(await exportToSvg({ elements, appState, files, exportPadding: 16 }), tlp, background);
  save(blob, fileName(title, format));
}

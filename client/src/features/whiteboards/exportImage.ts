/**
 * PNG and SVG export of the whole board, drawn by Excalidraw's own exporters (so shapes and fonts look
 * as on screen) and saved under the board's title.
 */
import { exportToBlob, exportToSvg } from '@excalidraw/excalidraw';
import type { ExcalidrawImperativeAPI } from '@excalidraw/excalidraw/types';

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

export async function exportImage(api: ExcalidrawImperativeAPI, title: string, format: ImageFormat): Promise<void> {
  const elements = api.getSceneElements();
  if (elements.length === 0) throw new Error('The board is empty: nothing to export.');
  const appState = { ...api.getAppState(), exportBackground: true, exportWithDarkMode: false };
  const files = api.getFiles();
  const blob =
    format === 'png'
      ? await exportToBlob({ elements, appState, files, mimeType: 'image/png', exportPadding: 16 })
      : new Blob([(await exportToSvg({ elements, appState, files, exportPadding: 16 })).outerHTML], { type: 'image/svg+xml' });
  save(blob, fileName(title, format));
}

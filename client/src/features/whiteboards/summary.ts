/**
 * A text summary of the board for screen readers (and for tests, which cannot read a canvas): how many
 * shapes, and the labels and texts on it in reading order (top to bottom, left to right).
 */
import type { ExcalidrawElement } from '@excalidraw/excalidraw/element/types';

export interface BoardSummary {
  shapes: number;
  texts: string[];
}

export function summarize(elements: readonly ExcalidrawElement[]): BoardSummary {
  const live = elements.filter((el) => !el.isDeleted);
  const texts = live
    .filter((el): el is ExcalidrawElement & { text: string } => el.type === 'text' && typeof (el as { text?: unknown }).text === 'string')
    .sort((a, b) => a.y - b.y || a.x - b.x)
    .map((el) => el.text.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  // Bound labels are text elements inside a shape: count the shapes, not their labels.
  const shapes = live.filter((el) => el.type !== 'text' || !(el as { containerId?: string | null }).containerId).length;
  return { shapes, texts };
}

export const describeSummary = ({ shapes, texts }: BoardSummary): string =>
  `${shapes === 1 ? '1 shape' : `${shapes} shapes`} on the board${texts.length ? `: ${texts.join(' · ')}` : ''}`;

/**
 * Techniques and indicators dropped onto a whiteboard become labelled rectangles: the label says what
 * it is at a glance (technique id and name, or the indicator's type and defanged value), and
 * `customData.huntroom` keeps the reference. An indicator's shape keeps only its id: the label is
 * drawn by each viewer from its own view of the record, and the document holds a neutral text
 * (shared/src/markings/placements.ts; binding.ts strips it on the way out).
 */
import { defang } from '@huntroom/shared';

export type BoardItem = { kind: 'technique'; id: string; name: string } | { kind: 'indicator'; id: string; type: string; value: string };

export interface LabelledShape {
  type: 'rectangle';
  x: number;
  y: number;
  width: number;
  height: number;
  strokeColor: string;
  backgroundColor: string;
  fillStyle: 'solid';
  roundness: { type: 3 };
  label: { text: string; fontSize: number };
  customData: { huntroom: Placement };
}

/** What a shape records of its item: a technique whole (public catalog text), an indicator by id only. */
export type Placement = { kind: 'technique'; id: string; name: string } | { kind: 'indicator'; id: string };

export const placementOf = (item: BoardItem): Placement => (item.kind === 'indicator' ? { kind: 'indicator', id: item.id } : item);

const STYLE = {
  technique: { strokeColor: '#1e3a8a', backgroundColor: '#dbeafe' },
  indicator: { strokeColor: '#7c2d12', backgroundColor: '#ffedd5' },
} as const;

/** Longest label line: the rest of a long URL is cut, so the shape stays readable. */
const MAX_LINE = 40;
const cut = (s: string) => (s.length > MAX_LINE ? `${s.slice(0, MAX_LINE - 1)}…` : s);

export function labelOf(item: BoardItem): string {
  return item.kind === 'technique' ? `${item.id}\n${cut(item.name)}` : `${item.type}\n${cut(defang(item.value))}`;
}

/** Size of every added shape (placement.ts looks for a free spot this big). */
export const SHAPE_SIZE = { width: 240, height: 76 } as const;

/** A shape skeleton centred on (x, y), for Excalidraw's `convertToExcalidrawElements`. */
export function labelledShape(item: BoardItem, x: number, y: number): LabelledShape {
  const { width, height } = SHAPE_SIZE;
  return {
    type: 'rectangle',
    x: x - width / 2,
    y: y - height / 2,
    width,
    height,
    ...STYLE[item.kind],
    fillStyle: 'solid',
    roundness: { type: 3 },
    label: { text: labelOf(item), fontSize: 16 },
    customData: { huntroom: placementOf(item) },
  };
}

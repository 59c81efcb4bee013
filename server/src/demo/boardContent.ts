/**
 * The demo whiteboard: the intrusion as a chain of labelled boxes with arrows, in the document shape the
 * whiteboard binding reads (client/src/features/whiteboards/binding.ts): one Y.Map `elements`, element
 * id -> the element as Excalidraw serialises it. The client repairs and measures what it draws
 * (Excalidraw's restoreElements), so these carry the fields that decide what is drawn. Techniques are
 * placed as the "Add to board" panel places them (customData.huntroom); an indicator as a reference
 * whose label each viewer draws from its own view of the record.
 */
import * as Y from 'yjs';
import { PLACED_INDICATOR_TEXT } from '@huntroom/shared';
import { random } from './indicatorData.js';

type El = Record<string, unknown> & { id: string };

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export interface BoxSpec {
  key: string;
  x: number;
  y: number;
  text: string;
  stroke: string;
  fill: string;
  placement?: { kind: 'technique'; id: string; name: string } | { kind: 'indicator'; id: string };
}

/** Elements of boxes (each a rectangle with its bound label) and the arrows between them, in order. */
export function boardElements(boxes: BoxSpec[], arrows: [string, string][], updated: number): El[] {
  const rnd = random(7);
  const int = () => Math.floor(rnd() * 2 ** 31);
  const out: El[] = [];
  const common = (id: string): El => ({
    id,
    angle: 0,
    strokeWidth: 2,
    strokeStyle: 'solid',
    roughness: 1,
    opacity: 100,
    groupIds: [],
    frameId: null,
    seed: int(),
    version: 1,
    versionNonce: int(),
    isDeleted: false,
    updated,
    link: null,
    locked: false,
    // Fractional indices as Excalidraw 0.18 orders elements: a0, a1, ... in one base-62 digit.
    index: `a${BASE62[out.length]}`,
  });
  const at = new Map<string, BoxSpec>();
  for (const b of boxes) {
    at.set(b.key, b);
    const custom = b.placement ? { customData: { huntroom: b.placement } } : {};
    out.push({
      ...common(`demo-${b.key}`),
      type: 'rectangle',
      x: b.x,
      y: b.y,
      width: 240,
      height: 76,
      strokeColor: b.stroke,
      backgroundColor: b.fill,
      fillStyle: 'solid',
      roundness: { type: 3 },
      boundElements: [{ type: 'text', id: `demo-${b.key}-label` }],
      ...custom,
    });
    const label = b.placement?.kind === 'indicator' ? PLACED_INDICATOR_TEXT : b.text;
    out.push({
      ...common(`demo-${b.key}-label`),
      type: 'text',
      x: b.x + 10,
      y: b.y + 18,
      width: 220,
      height: 40,
      strokeColor: '#1e1e1e',
      backgroundColor: 'transparent',
      fillStyle: 'solid',
      roundness: null,
      boundElements: null,
      text: label,
      originalText: label,
      fontSize: 16,
      fontFamily: 5,
      textAlign: 'center',
      verticalAlign: 'middle',
      containerId: `demo-${b.key}`,
      autoResize: true,
      lineHeight: 1.25,
      ...custom,
    });
  }
  for (const [from, to] of arrows) {
    const a = at.get(from)!;
    const b = at.get(to)!;
    // Side by side: from a's right edge to b's left; b below: from a's bottom to b's top.
    const below = b.y > a.y;
    const x = below ? a.x + 120 : a.x + 240;
    const y = below ? a.y + 76 : a.y + 38;
    const dx = (below ? b.x + 120 : b.x) - x;
    const dy = (below ? b.y : b.y + 38) - y;
    out.push({
      ...common(`demo-arrow-${from}-${to}`),
      type: 'arrow',
      x,
      y,
      width: Math.abs(dx),
      height: Math.abs(dy),
      strokeColor: '#e5484d',
      backgroundColor: 'transparent',
      fillStyle: 'solid',
      roundness: { type: 2 },
      boundElements: null,
      points: [
        [0, 0],
        [dx, dy],
      ],
      startBinding: null,
      endBinding: null,
      startArrowhead: null,
      endArrowhead: 'arrow',
      elbowed: false,
    });
  }
  return out;
}

/** The Yjs update of a whiteboard holding `elements`. */
export function boardUpdate(elements: El[]): Uint8Array {
  const doc = new Y.Doc();
  const map = doc.getMap('elements');
  doc.transact(() => elements.forEach((el) => map.set(el.id, el)));
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

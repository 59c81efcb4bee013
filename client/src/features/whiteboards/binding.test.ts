import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ExcalidrawElement } from '@excalidraw/excalidraw/element/types';
import type { AppState, SceneData } from '@excalidraw/excalidraw/types';
import { ELEMENTS_MAP, WhiteboardBinding, type SceneApi, type SceneTools } from './binding.js';
import { describeSummary, summarize } from './summary.js';
import { PLACED_INDICATOR_TEXT } from '@huntroom/shared';

type El = ExcalidrawElement;
const el = (id: string, version: number, extra: Partial<Record<string, unknown>> = {}) =>
  ({ id, type: 'rectangle', x: 0, y: 0, width: 10, height: 10, version, versionNonce: version, isDeleted: false, index: `a${id}`, ...extra }) as unknown as El;

/** A stand-in for Excalidraw's canvas: a scene array, and a record of what was drawn how. */
class FakeScene implements SceneApi {
  elements: El[] = [];
  updates: SceneData[] = [];
  getSceneElementsIncludingDeleted = () => this.elements;
  getAppState = () => ({}) as AppState;
  updateScene(scene: SceneData) {
    this.updates.push(scene);
    if (scene.elements) this.elements = [...(scene.elements as El[])];
  }
}

/** Excalidraw's merge, reduced to its rule: the higher version wins, local on a tie. */
const tools: SceneTools = {
  restoreElements: (els) => els.filter((e) => typeof e.id === 'string' && typeof e.version === 'number'),
  reconcileElements: (local, remote) => {
    const out = new Map(local.map((e) => [e.id, e]));
    for (const r of remote) if (!out.has(r.id) || out.get(r.id)!.version < r.version) out.set(r.id, r);
    return [...out.values()] as never;
  },
  captureNever: 'NEVER',
};

/** Two documents joined like two browsers through the server. */
function pair() {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.on('update', (u: Uint8Array, origin: unknown) => origin !== 'net' && Y.applyUpdate(b, u, 'net'));
  b.on('update', (u: Uint8Array, origin: unknown) => origin !== 'net' && Y.applyUpdate(a, u, 'net'));
  return { a, b };
}

const bindings: WhiteboardBinding[] = [];
afterEach(() => bindings.splice(0).forEach((b) => b.destroy()));
const bind = (doc: Y.Doc, scene: FakeScene) => {
  const b = new WhiteboardBinding(doc, scene, tools, 1_000);
  bindings.push(b);
  return b;
};

describe('WhiteboardBinding', () => {
  it('sends a local change to the other side, which draws it outside its undo history', () => {
    const { a, b } = pair();
    const sa = new FakeScene();
    const sb = new FakeScene();
    const ba = bind(a, sa);
    bind(b, sb);
    ba.onLocalChange([el('r1', 1)]);
    ba.flush();
    expect(sb.elements.map((e) => e.id)).toEqual(['r1']);
    expect(sb.updates.at(-1)?.captureUpdate).toBe('NEVER');
  });

  it('writes only changed elements, and coalesces a drag into one update', () => {
    const { a } = pair();
    const sa = new FakeScene();
    const ba = bind(a, sa);
    let updates = 0;
    a.on('update', () => updates++);
    ba.onLocalChange([el('r1', 1), el('r2', 1)]);
    ba.onLocalChange([el('r1', 2), el('r2', 1)]);
    ba.onLocalChange([el('r1', 3), el('r2', 1)]);
    ba.flush();
    expect(updates).toBe(1);
    expect(a.getMap<El>(ELEMENTS_MAP).get('r1')?.version).toBe(3);
    ba.onLocalChange([el('r1', 3), el('r2', 1)]);
    ba.flush();
    expect(updates).toBe(1); // nothing changed: nothing sent
  });

  it('keeps the element being edited here when an older copy arrives, and converges after', () => {
    const { a, b } = pair();
    const sa = new FakeScene();
    const sb = new FakeScene();
    const ba = bind(a, sa);
    const bb = bind(b, sb);
    ba.onLocalChange([el('r1', 1)]);
    ba.flush();
    // B drags r1 (version 5) while A's older edit (version 2) is on its way.
    sb.elements = [el('r1', 5, { x: 50 })];
    bb.onLocalChange(sb.elements);
    ba.onLocalChange([el('r1', 2, { x: 20 })]);
    ba.flush();
    expect(sb.elements.find((e) => e.id === 'r1')?.version).toBe(5);
    bb.flush();
    expect(sa.elements.find((e) => e.id === 'r1')?.x).toBe(50);
    expect(a.getMap<El>(ELEMENTS_MAP).get('r1')?.x).toBe(50);
  });

  it('loads what the document already holds, and drops what restore rejects', () => {
    const doc = new Y.Doc();
    doc.getMap(ELEMENTS_MAP).set('ok', el('ok', 1));
    doc.getMap(ELEMENTS_MAP).set('bad', { nonsense: true } as unknown as El);
    const scene = new FakeScene();
    bind(doc, scene);
    expect(scene.elements.map((e) => e.id)).toEqual(['ok']);
  });
});

describe('placed indicators are references', () => {
  const ref = { huntroom: { kind: 'indicator', id: 'ind-1' } };
  const placed = (version: number, text: string) => [
    el('box', version, { customData: ref }),
    el('label', version, { type: 'text', text, originalText: text, containerId: 'box', customData: ref }),
  ];

  it('the document gets the neutral label; each side draws the label from its own view, and redraws when it changes', () => {
    const { a, b } = pair();
    const sa = new FakeScene();
    const sb = new FakeScene();
    const views = { a: 'domain\nc2[.]example[.]org', b: 'hidden item' };
    const ba = new WhiteboardBinding(a, sa, tools, 1_000, { label: () => views.a });
    const bb = new WhiteboardBinding(b, sb, tools, 1_000, { label: () => views.b });
    bindings.push(ba, bb);
    ba.onLocalChange(placed(1, 'domain\nc2[.]example[.]org'));
    ba.flush();
    expect(JSON.stringify(a.getMap(ELEMENTS_MAP).toJSON())).not.toContain('c2');
    expect(a.getMap<El>(ELEMENTS_MAP).get('label')).toMatchObject({ text: PLACED_INDICATOR_TEXT, originalText: PLACED_INDICATOR_TEXT });
    expect(sb.elements.find((e) => e.id === 'label')).toMatchObject({ text: 'hidden item' });
    // B's view learns it may see it after all: the label is redrawn, nothing is written.
    let updates = 0;
    b.on('update', () => updates++);
    views.b = 'domain\nc2[.]example[.]org';
    bb.relabel();
    expect(sb.elements.find((e) => e.id === 'label')).toMatchObject({ text: 'domain\nc2[.]example[.]org' });
    expect(updates).toBe(0);
    // A later move of the shape by B still writes no value.
    bb.onLocalChange(placed(2, 'domain\nc2[.]example[.]org'));
    bb.flush();
    expect(JSON.stringify(b.getMap(ELEMENTS_MAP).toJSON())).not.toContain('c2');
  });
});

describe('board summary', () => {
  it('counts shapes, not their labels, and reads texts top to bottom', () => {
    const els = [
      el('box', 1),
      el('label', 1, { type: 'text', text: 'T1059.001\nPowerShell', containerId: 'box', y: 5 }),
      el('note', 1, { type: 'text', text: 'first', containerId: null, y: -10 }),
      el('gone', 1, { isDeleted: true }),
    ];
    const s = summarize(els);
    expect(s).toEqual({ shapes: 2, texts: ['first', 'T1059.001 PowerShell'] });
    expect(describeSummary(s)).toBe('2 shapes on the board: first · T1059.001 PowerShell');
    expect(describeSummary(summarize([]))).toBe('0 shapes on the board');
  });
});

/**
 * The Yjs <-> Excalidraw binding, written here because y-excalidraw declares Excalidraw 0.17 as its
 * peer and we ship 0.18 (whose elements carry fractional `index`es, which makes a much smaller
 * binding possible).
 *
 * The document holds one Y.Map, `elements`: element id -> the element as Excalidraw serialises it.
 * Excalidraw bumps `version` (and re-rolls `versionNonce`) on every change and never removes an
 * element (it sets `isDeleted`), so:
 * - local -> Y: after a change, every element whose version or nonce differs from the map's copy is
 *   written whole (throttled, so a drag sends a few updates a second, not one per frame);
 * - Y -> local: remote values are repaired by Excalidraw's `restoreElements` (a malformed element
 *   from a buggy or hostile peer must not crash the canvas), merged with what is on screen by
 *   Excalidraw's own `reconcileElements` (which keeps the element the user is editing now), and
 *   drawn without entering the local undo history.
 * Two teams changing one element at once converge on the same copy: Y.Map picks one writer.
 *
 * Indicators placed on the board are references (shared/src/markings/placements.ts): on the way out
 * their label's text is replaced by a neutral one, and on the way in it is drawn from this viewer's
 * own view of the record (`PlacementView`), so the value never travels in the document.
 */
import * as Y from 'yjs';
import type { ExcalidrawElement, OrderedExcalidrawElement } from '@excalidraw/excalidraw/element/types';
import type { AppState, BinaryFiles, SceneData } from '@excalidraw/excalidraw/types';
import { placedIndicatorId, referenceOnly, type BoardElement } from '@huntroom/shared';
import type { PlacementView } from './placementLabels.js';

export const ELEMENTS_MAP = 'elements';
/** Our own transactions' origin: their echo from the map observer is skipped. */
const LOCAL = Symbol('whiteboard-local');

/** The part of Excalidraw's imperative API the binding needs (a fake of it drives the unit test). */
// Method signatures on purpose: Excalidraw's updateScene is generic over the app state keys it takes,
// which a property signature (checked strictly) could only match by restating Excalidraw's own types.
/* eslint-disable @typescript-eslint/method-signature-style */
export interface SceneApi {
  getSceneElementsIncludingDeleted(): readonly ExcalidrawElement[];
  getAppState(): AppState;
  updateScene(scene: SceneData): void;
}
/* eslint-enable @typescript-eslint/method-signature-style */

/** Excalidraw functions passed in, so this module has no import of the (large) library itself. */
export interface SceneTools {
  /** `refreshDimensions` (Excalidraw applies it with `repairBindings` only): re-measure and wrap texts, for labels drawn here. */
  restoreElements: (elements: readonly ExcalidrawElement[], local: null, opts?: { refreshDimensions: boolean; repairBindings: boolean }) => ExcalidrawElement[];
  reconcileElements: (local: readonly ExcalidrawElement[], remote: readonly ExcalidrawElement[], appState: AppState) => readonly OrderedExcalidrawElement[];
  captureNever: SceneData['captureUpdate'];
}

const changed = (a: ExcalidrawElement | undefined, b: ExcalidrawElement) => !a || a.version !== b.version || a.versionNonce !== b.versionNonce;

export class WhiteboardBinding {
  private readonly map: Y.Map<ExcalidrawElement>;
  private pending: readonly ExcalidrawElement[] | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly doc: Y.Doc,
    private readonly api: SceneApi,
    private readonly tools: SceneTools,
    private readonly throttleMs = 60,
    private readonly view?: PlacementView,
  ) {
    this.map = doc.getMap(ELEMENTS_MAP);
    this.map.observe(this.onRemote);
    if (this.map.size > 0) this.pullRemote();
  }

  /** Redraws placed indicators' labels from the view (it learnt something new about a record). */
  relabel(): void {
    if (!this.view) return;
    const local = this.api.getSceneElementsIncludingDeleted();
    const lookup = byId(local);
    if (!local.some((el) => placedIndicatorId(asBoard(el), lookup))) return;
    this.api.updateScene({
      elements: centreLabels(
        this.tools.restoreElements(
          local.map((el) => this.onScreen(el, lookup)),
          null,
          REFRESH,
        ),
      ),
      captureUpdate: this.tools.captureNever,
    });
  }

  /** A placed indicator's label as this viewer sees it. */
  private onScreen(el: ExcalidrawElement, lookup: Lookup): ExcalidrawElement {
    const ref = el.type === 'text' ? placedIndicatorId(asBoard(el), lookup) : undefined;
    if (!ref || !this.view) return el;
    const label = this.view.label(ref);
    return { ...el, text: label, originalText: label } as ExcalidrawElement;
  }

  /** Excalidraw's onChange: remember the newest scene; it is written to the map shortly. */
  onLocalChange(elements: readonly ExcalidrawElement[]): void {
    this.pending = elements;
    this.timer ??= setTimeout(() => this.flush(), this.throttleMs);
  }

  /** Writes the remembered scene's changed elements now, in one transaction (one update). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const elements = this.pending;
    this.pending = undefined;
    if (!elements) return;
    const dirty = elements.filter((el) => changed(this.map.get(el.id), el));
    if (dirty.length === 0) return;
    const lookup = byId(elements);
    this.doc.transact(() => {
      // A plain copy: Excalidraw's objects are frozen-ish and must not be shared with Yjs' content.
      for (const el of dirty) this.map.set(el.id, JSON.parse(JSON.stringify(toDocument(el, lookup))) as ExcalidrawElement);
    }, LOCAL);
  }

  destroy(): void {
    this.flush();
    this.map.unobserve(this.onRemote);
  }

  private readonly onRemote = (_e: Y.YMapEvent<ExcalidrawElement>, tr: Y.Transaction) => {
    if (tr.origin !== LOCAL) this.pullRemote();
  };

  private pullRemote(): void {
    // Local edits not yet written go first, so the merge compares against what the user sees.
    this.flush();
    const local = this.api.getSceneElementsIncludingDeleted();
    // No local elements passed to restore: with them it would bump remote versions past ours and
    // the merge could no longer keep the element being edited here (Excalidraw's own app does the same).
    const stored = [...this.map.values()];
    const lookup = byId(stored);
    const remote = this.view
      ? centreLabels(
          this.tools.restoreElements(
            stored.map((el) => this.onScreen(el, lookup)),
            null,
            REFRESH,
          ),
        )
      : this.tools.restoreElements(stored, null);
    const merged = this.tools.reconcileElements(local, remote, this.api.getAppState());
    this.api.updateScene({ elements: merged, captureUpdate: this.tools.captureNever });
  }
}

const REFRESH = { refreshDimensions: true, repairBindings: true };

type Lookup = (id: string) => BoardElement | undefined;
/** Excalidraw's element as the plain object the shared placement functions read. */
const asBoard = (el: ExcalidrawElement) => el as unknown as BoardElement;

const byId = (elements: readonly ExcalidrawElement[]): Lookup => {
  const m = new Map(elements.map((el) => [el.id, asBoard(el)]));
  return (id) => m.get(id);
};

/** A label drawn here has its own size: keep it in the middle of its shape (position is not synced content). */
function centreLabels(elements: ExcalidrawElement[]): ExcalidrawElement[] {
  const lookup = byId(elements);
  return elements.map((el) => {
    if (el.type !== 'text' || !el.containerId || !placedIndicatorId(asBoard(el), lookup)) return el;
    const box = lookup(el.containerId) as unknown as ExcalidrawElement | undefined;
    if (!box) return el;
    return { ...el, x: box.x + (box.width - el.width) / 2, y: box.y + (box.height - el.height) / 2 };
  });
}

/** What the document may hold of an element: a placed indicator as a reference, with no value. */
function toDocument(el: ExcalidrawElement, lookup: Lookup): ExcalidrawElement {
  const ref = placedIndicatorId(asBoard(el), lookup);
  return ref ? (referenceOnly(asBoard(el), ref) as unknown as ExcalidrawElement) : el;
}

/** Files (images) are not synced: the image tool is off, so a scene never needs them. */
export const NO_FILES: BinaryFiles = {};

/**
 * What the app places on a whiteboard follows the item it came from (issue 15, 2.9). An indicator put
 * on a board is stored in the board's Yjs document as a reference only: the shape and its label carry
 * `customData.huntroom = { kind: 'indicator', id }` and the label's text is the neutral
 * `PLACED_INDICATOR_TEXT`. Each client draws the label from its own view of the record (its type and
 * value if the viewer's team may see the indicator, `HIDDEN_ITEM_LABEL` if not), so narrowing the
 * indicator's marking hides it on every board at once and the value never travels in the document.
 *
 * Placements made before references carried the value (in the shape's customData and the label's
 * text); `scrubPlacements` rewrites them as references. Techniques are public ATT&CK catalog text and
 * stay as they are.
 *
 * These functions work on plain Excalidraw element objects as the document stores them, so the client
 * (writing) and the server (scrubbing) share one definition.
 */

/** The label text a placed indicator has in the document: nothing of the value. */
export const PLACED_INDICATOR_TEXT = 'indicator';
/** What a viewer whose team may not see the indicator is shown instead of it. */
export const HIDDEN_ITEM_LABEL = 'hidden item';

export interface BoardElement {
  id: string;
  type: string;
  version?: number;
  versionNonce?: number;
  isDeleted?: boolean;
  containerId?: string | null;
  text?: string;
  originalText?: string;
  customData?: Record<string, unknown>;
  [key: string]: unknown;
}

interface HuntroomData {
  kind?: unknown;
  id?: unknown;
}

const huntroom = (el: BoardElement | undefined): HuntroomData | undefined => {
  const h = el?.customData?.huntroom;
  return h && typeof h === 'object' ? h : undefined;
};

/** The indicator an element stands for: a placed shape, or the label inside one. */
export function placedIndicatorId(el: BoardElement, containerOf: (id: string) => BoardElement | undefined = () => undefined): string | undefined {
  const own = huntroom(el);
  if (own?.kind === 'indicator' && typeof own.id === 'string') return own.id;
  if (el.type === 'text' && el.containerId) {
    const c = huntroom(containerOf(el.containerId));
    if (c?.kind === 'indicator' && typeof c.id === 'string') return c.id;
  }
  return undefined;
}

/** The element as a board document may hold it: the reference, and no copy of the value. */
export function referenceOnly(el: BoardElement, indicatorId: string): BoardElement {
  const out: BoardElement = { ...el, customData: { ...el.customData, huntroom: { kind: 'indicator', id: indicatorId } } };
  if (el.type === 'text') {
    out.text = PLACED_INDICATOR_TEXT;
    out.originalText = PLACED_INDICATOR_TEXT;
    // Older Excalidraw versions kept the typed text here too.
    if ('rawText' in out) out.rawText = PLACED_INDICATOR_TEXT;
  }
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The elements of a board that hold a copy of an indicator's value, rewritten as references (with a
 * new version, so every peer's Excalidraw takes the rewrite over its own copy). `only` limits it to
 * one indicator. Returns just the elements to write back.
 */
export function scrubPlacements(elements: Iterable<[string, BoardElement]>, only?: string): [string, BoardElement][] {
  const all = new Map(elements);
  const byId = new Map([...all.values()].filter((e) => e && typeof e === 'object').map((e) => [e.id, e]));
  const out: [string, BoardElement][] = [];
  for (const [key, el] of all) {
    if (!el || typeof el !== 'object') continue;
    const ref = placedIndicatorId(el, (id) => byId.get(id));
    if (!ref || (only !== undefined && ref !== only)) continue;
    const clean = referenceOnly(el, ref);
    if (same(clean, el)) continue;
    out.push([key, { ...clean, version: (typeof el.version === 'number' ? el.version : 0) + 1, versionNonce: Math.floor(Math.random() * 2 ** 31) }]);
  }
  return out;
}

/** The indicator ids placed on a board. */
export function placedIndicators(elements: Iterable<BoardElement>): Set<string> {
  const list = [...elements].filter((e) => e && typeof e === 'object');
  const byId = new Map(list.map((e) => [e.id, e]));
  const ids = new Set<string>();
  for (const el of list) {
    if (el.isDeleted) continue;
    const ref = placedIndicatorId(el, (id) => byId.get(id));
    if (ref) ids.add(ref);
  }
  return ids;
}

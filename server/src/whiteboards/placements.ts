/**
 * Where an indicator is placed on the workspace's whiteboards, and the scrub of placements that still
 * carry its value (made before placements became references; see shared/src/markings/placements.ts).
 * A marking change of an indicator names the boards it is on to the one who changed it, and rewrites
 * the old copies on those boards as references, live, so that every viewer's client draws the label
 * from its own view of the record ("hidden item" for a team that lost sight).
 */
import * as Y from 'yjs';
import { canSee, placedIndicators, scrubPlacements, type Account, type BoardElement } from '@huntroom/shared';
import type { Db } from '../storage/db.js';
import type { AppContext } from '../context.js';
import { docStore, type DocMeta } from '../collab/store.js';
import { documentStore } from '../documents/store.js';

/** Must match the binding's map (client/src/features/whiteboards/binding.ts). */
const ELEMENTS_MAP = 'elements';

export interface BoardCopy {
  kind: 'whiteboard';
  id: string;
  title: string;
}

const elementsOf = (doc: Y.Doc) => doc.getMap<BoardElement>(ELEMENTS_MAP);

/**
 * The whiteboards of a workspace that hold the indicator, from the stored documents. A board whose
 * stored bytes do not contain the id (Yjs stores a placement's JSON, id included, as UTF-8) cannot
 * hold it and is not decoded, so a marking change costs a byte search per board, not a Yjs load.
 */
export async function boardsHolding(db: Db, workspaceId: string, indicatorId: string): Promise<{ meta: DocMeta; carriesValue: boolean }[]> {
  const found: { meta: DocMeta; carriesValue: boolean }[] = [];
  const needle = Buffer.from(indicatorId, 'utf8');
  for (const meta of await documentStore.list(db, workspaceId, 'whiteboard')) {
    const { snapshot, updates } = await docStore.content(db, meta.id);
    const parts = [...(snapshot ? [snapshot] : []), ...updates.map((u) => u.data)];
    if (!parts.some((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).includes(needle))) continue;
    const doc = new Y.Doc({ gc: true });
    doc.transact(() => parts.forEach((b) => Y.applyUpdate(doc, b)));
    const map = elementsOf(doc);
    const carriesValue = scrubPlacements(map.entries(), indicatorId).length > 0;
    if (carriesValue || placedIndicators(map.values()).has(indicatorId)) found.push({ meta, carriesValue });
    doc.destroy();
  }
  return found;
}

/** The boards a caller is told about: only those its team may see (a hidden board's title is content). */
export const copiesFor = (account: Account, boards: readonly { meta: DocMeta }[]): BoardCopy[] =>
  boards.filter((b) => canSee(account.team.id, b.meta)).map((b) => ({ kind: 'whiteboard', id: b.meta.id, title: b.meta.title }));

/** Rewrites, in the live document, the placements (of one indicator, or all) that carry a value. */
export function scrubDoc(doc: Y.Doc, indicatorId?: string): number {
  const map = elementsOf(doc);
  const rewrites = scrubPlacements(map.entries(), indicatorId);
  if (rewrites.length) doc.transact(() => rewrites.forEach(([key, el]) => map.set(key, el)));
  return rewrites.length;
}

/** After an indicator's marking changed: old copies of its value on any board become references. */
export async function scrubIndicatorCopies(ctx: Pick<AppContext, 'db' | 'collab' | 'log'>, workspaceId: string, indicatorId: string): Promise<void> {
  for (const { meta } of (await boardsHolding(ctx.db, workspaceId, indicatorId)).filter((b) => b.carriesValue)) {
    const n = await ctx.collab.withDocument(meta, (live) => scrubDoc(live.doc, indicatorId));
    ctx.log.info({ docId: meta.id, indicatorId, elements: n }, 'whiteboard copies of an indicator rewritten as references');
  }
}

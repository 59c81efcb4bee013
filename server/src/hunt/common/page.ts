/**
 * One page of a hunt list: rows already filtered and ordered by SQL, then kept only when the caller's
 * team may see them (`canSee`, before anything is counted), then cut at the cursor. The total counts
 * visible rows only, so a hidden item shows nowhere, not even in a number.
 */
import { canSee, type HuntPage } from '@huntroom/shared';
import { markedItem, type MarkedRow } from './rows.js';

/** What deciding visibility needs of a row. */
type Marked = Parameters<typeof markedItem>[0];

export interface Order<R> {
  /** The cursor naming a row: the next page starts after it. */
  key(r: R): string;
  /** True when `r` comes after the row the cursor names. */
  after(r: R, cursor: string): boolean;
}

/** Newest first by creation seq (networks, hosts, findings). */
export const bySeqDesc = <R extends MarkedRow>(): Order<R> => ({
  key: (r) => String(r.created_seq),
  after: (r, cursor) => Number(r.created_seq) < Number(cursor),
});

export function page<R extends Marked, V>(
  rows: readonly R[],
  teamId: string,
  q: { cursor?: string | undefined; limit?: number | undefined },
  order: Order<R>,
  present: (r: R) => V,
  matches: (r: R) => boolean = () => true,
): HuntPage<V> {
  const visible = rows.filter((r) => canSee(teamId, markedItem(r)) && matches(r));
  const start = q.cursor === undefined ? 0 : visible.findIndex((r) => order.after(r, q.cursor!));
  const limit = q.limit ?? 100;
  const slice = start < 0 ? [] : visible.slice(start, start + limit);
  const more = start >= 0 && start + limit < visible.length;
  return { items: slice.map(present), nextCursor: more && slice.length ? order.key(slice.at(-1)!) : null, total: visible.length };
}

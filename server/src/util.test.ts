import { describe, expect, it } from 'vitest';
import { eachPage } from './util.js';

/** A table of `n` rows 1..n read newest first, `size` a page, through a cursor as the stores do. */
const pagedTable = (n: number) => {
  const rows = Array.from({ length: n }, (_, i) => n - i);
  const reads: (number | undefined)[] = [];
  const read = (before: number | undefined) => {
    reads.push(before);
    return Promise.resolve(rows.filter((r) => r < (before ?? Infinity)).slice(0, 3));
  };
  return { read, reads };
};

describe('eachPage', () => {
  it('hands on every row once, in order, and stops after the first short page', async () => {
    const { read, reads } = pagedTable(7);
    const seen: number[][] = [];
    await eachPage(
      read,
      3,
      (last) => last,
      (page) => void seen.push(page),
    );
    expect(seen).toEqual([[7, 6, 5], [4, 3, 2], [1]]);
    expect(reads).toEqual([undefined, 5, 2]);
  });

  it('reads one empty page after a last page that was full', async () => {
    const { read, reads } = pagedTable(6);
    const seen: number[] = [];
    await eachPage(
      read,
      3,
      (last) => last,
      (page) => void seen.push(...page),
    );
    expect(seen).toEqual([6, 5, 4, 3, 2, 1]);
    expect(reads).toEqual([undefined, 4, 1]);
  });

  it('awaits an asynchronous handler before the next read, and stops when told', async () => {
    const { read, reads } = pagedTable(10);
    let handled = 0;
    await eachPage(
      read,
      3,
      (last) => last,
      async () => {
        await Promise.resolve();
        handled++;
        expect(reads).toHaveLength(handled);
      },
      () => handled === 2,
    );
    expect(handled).toBe(2);
    expect(reads).toEqual([undefined, 8]);
  });

  it('gives other work a turn of the event loop between pages', async () => {
    const { read } = pagedTable(8);
    const order: string[] = [];
    const walk = eachPage(
      read,
      3,
      (last) => last,
      (page) => {
        order.push(`page ${page[0]}`);
        setImmediate(() => order.push('other'));
      },
    );
    await walk;
    // The last page is short: the walk ends without waiting for a turn after it.
    expect(order).toEqual(['page 8', 'other', 'page 5', 'other', 'page 2']);
  });
});

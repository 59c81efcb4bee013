/**
 * The source line of a match, for the preview. Line starts are found once per chunk (one linear pass)
 * and a match's line by binary search, so a 1 MB single line with 100,000 matches stays linear.
 * Refanging never adds or removes a newline (its rules do not cross lines), so line k of the refanged
 * text is line k of what the user pasted: the preview shows the line as pasted, defanged as it was.
 */

/** Longest line kept on a candidate; a longer one is cut to a window around the match. */
export const LINE_MAX = 200;

export class LineIndex {
  private built: number[] | undefined;

  constructor(private readonly text: string) {}

  /** Line starts, found on first use: a paste with no indicator never pays for them. */
  private get starts(): number[] {
    if (this.built) return this.built;
    const starts = [0];
    const t = this.text;
    for (let i = t.indexOf('\n'); i !== -1; i = t.indexOf('\n', i + 1)) starts.push(i + 1);
    return (this.built = starts);
  }

  /** Number (0-based) of the line holding offset `at`. */
  lineOf(at: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Offset where line `n` starts. */
  start(n: number): number {
    return this.starts[n] ?? this.text.length;
  }

  /** Line `n` trimmed, at most LINE_MAX characters: a window around `col` (its column) when longer. */
  line(n: number, col = 0): string {
    const start = this.starts[n] ?? this.text.length;
    const end = n + 1 < this.starts.length ? this.starts[n + 1]! - 1 : this.text.length;
    if (end - start <= LINE_MAX) return this.text.slice(start, end).trim();
    const from = Math.max(start, Math.min(start + col - LINE_MAX / 4, end - LINE_MAX));
    return `${from > start ? '…' : ''}${this.text.slice(from, from + LINE_MAX).trim()}${from + LINE_MAX < end ? '…' : ''}`;
  }
}

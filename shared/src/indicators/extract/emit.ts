/**
 * What a rule hands its matches to: the candidate set, plus where in the text the match was, so the
 * first occurrence of each value keeps its source line, and a port or path seen with it.
 */
import type { Candidate, CandidateSet } from '../candidates.js';
import type { LineIndex } from './lines.js';
import { lineReason, type LineKind, type TableRow } from './lineKinds.js';

export interface Found {
  /** Offset of the match in the (refanged) chunk. */
  at: number;
  port?: number;
  path?: string;
  /** Why the value is probably not evidence, when the rule can tell from where it stands. */
  benign?: string;
}

export class Emitter {
  constructor(
    private readonly set: CandidateSet,
    /** Lines of the refanged chunk (the offsets rules see). */
    private readonly refanged: LineIndex,
    /** Lines of the chunk as pasted (what the preview shows). */
    private readonly pasted: LineIndex,
    /** The refanged chunk as the current rule sees it, for rules that look around a match. */
    public text: string,
    /** Lines whose kind says their values are probably not evidence (lineKinds.ts). */
    private readonly kinds: Map<number, LineKind> = new Map(),
    /** Table rows with columns that hold no evidence (lineKinds.ts). */
    private readonly tables: Map<number, TableRow> = new Map(),
    /**
     * Candidates flagged benign only by where they stood: seen once anywhere else, the flag goes.
     * Shared by the chunks of one paste, so a later chunk can lift an earlier chunk's flag.
     */
    private readonly byPlace = new Set<Candidate>(),
  ) {}

  /** Why the cell a match stands in holds no evidence, when its row is in such a table. */
  private columnReason(n: number, at: number): string | undefined {
    const row = this.tables.get(n);
    if (!row) return undefined;
    // Only rows of at most 4 KB of a table with such a column get here: counting tabs is cheap.
    let col = 0;
    for (let i = this.refanged.start(n); i < at; i++) if (this.text.charCodeAt(i) === 9) col++;
    return row.get(col);
  }

  add(type: string, raw: string, f: Found): Candidate {
    // The port goes through the set, which keeps every port seen as a tag of the one candidate.
    const c = this.set.add(type, raw, f.port !== undefined ? { port: f.port } : {});
    const n = this.refanged.lineOf(f.at);
    if (c.line === undefined) c.line = this.pasted.line(n, f.at - this.refanged.start(n));
    if (f.path !== undefined && c.path === undefined) c.path = f.path;
    if (c.error) return c;
    const placed = f.benign ?? lineReason(this.kinds.get(n), c.type) ?? this.columnReason(n, f.at);
    if (c.count === 1) {
      if (placed && !c.benign) {
        c.benign = placed;
        this.byPlace.add(c);
      }
    } else if (!placed && this.byPlace.has(c)) {
      // A commented-out entry that is also listed live, a relay that also sent: it is evidence.
      delete c.benign;
      this.byPlace.delete(c);
    }
    return c;
  }
}

/** The match without the punctuation that ends a sentence or closes a bracket the match did not open. */
export function trimTrailing(m: string): string {
  if (!TRAIL.has(m[m.length - 1] ?? '')) return m;
  // Bracket counts kept as the end moves left, so a run of a million ")" is still one pass.
  const n: Record<string, number> = { '(': 0, ')': 0, '[': 0, ']': 0, '{': 0, '}': 0 };
  for (const ch of m) if (ch in n) n[ch]!++;
  let end = m.length;
  for (;;) {
    const ch = m[end - 1];
    if (ch === undefined) break;
    if (ch === ')' || ch === ']' || ch === '}') {
      // Keep a closing bracket the value itself opened: {CLSID}, /wiki/Foo_(bar).
      if (n[OPEN[ch]!]! >= n[ch]!) break;
      n[ch]!--;
    } else if (!'.,;:!?\'"”’»'.includes(ch)) break;
    end--;
  }
  return m.slice(0, end);
}

const OPEN: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
const TRAIL = new Set([...'.,;:!?\'")]}”’»']);

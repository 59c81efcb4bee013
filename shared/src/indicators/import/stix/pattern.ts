/**
 * STIX 2.1 patterning (specification section 9), parsed far enough to take indicators out of it: every
 * comparison with its object path, operator and values, grouped by observation expression (`[...]`).
 * Qualifiers (WITHIN, REPEATS, START/STOP) and FOLLOWEDBY are read and dropped: they say when values
 * were seen together, not which values to hunt for. A pattern that does not parse is refused with where.
 */

export interface Comparison {
  /** The object path as written, e.g. `file:hashes.'SHA-256'`. */
  path: string;
  /** `=`, `!=`, `<`, `<=`, `>`, `>=`, `IN`, `LIKE`, `MATCHES`, `ISSUBSET`, `ISSUPERSET`, `EXISTS`. */
  op: string;
  negated: boolean;
  /** The constants compared with, as strings (escapes undone). */
  values: string[];
  /** The comparison as written, for a message. */
  text: string;
}

/** One observation expression `[...]`: its comparisons, and whether they are only joined by AND. */
export interface Observation {
  comparisons: Comparison[];
  allAnd: boolean;
}

export class PatternError extends Error {}

type Token = { kind: 'punct' | 'op' | 'word' | 'path' | 'string' | 'number'; text: string; value: string; at: number };

const QUOTED = String.raw`'(?:[^'\\]|\\.)*'`;
// Sticky (y): each is tried at the current position only, so tokenizing is linear in the pattern's length
// (a feed's pattern can hold thousands of IN values).
const SPACE = /\s+/y;
const PATH = new RegExp(String.raw`[a-z0-9_-]+:(?:[a-z0-9_-]+|${QUOTED})(?:\.(?:[a-z0-9_-]+|${QUOTED})|\[(?:\d+|\*)\])*`, 'iy');
const STRING = new RegExp(String.raw`[bht]?${QUOTED}`, 'iy');
const NUMBER = /[-+]?\d+(?:\.\d+)?/y;
const OP = /!=|<>|<=|>=|=|<|>/y;
const WORD = /[a-z_]+/iy;

/** Undoes the two escapes STIX strings have: \' and \\. */
const unescape = (quoted: string) => quoted.slice(1, -1).replace(/\\(['\\])/g, '$1');

const at = (re: RegExp, text: string, i: number): string | undefined => {
  re.lastIndex = i;
  return re.exec(text)?.[0];
};

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const space = at(SPACE, pattern, i);
    if (space) {
      i += space.length;
      continue;
    }
    const c = pattern[i]!;
    let m: string | undefined;
    if ('[](),'.includes(c)) tokens.push({ kind: 'punct', text: (m = c), value: c, at: i });
    else if ((m = at(PATH, pattern, i))) tokens.push({ kind: 'path', text: m, value: m, at: i });
    else if ((m = at(STRING, pattern, i))) tokens.push({ kind: 'string', text: m, value: unescape(m.replace(/^[bht]/i, '')), at: i });
    else if ((m = at(NUMBER, pattern, i))) tokens.push({ kind: 'number', text: m, value: m, at: i });
    else if ((m = at(OP, pattern, i))) tokens.push({ kind: 'op', text: m, value: m === '<>' ? '!=' : m, at: i });
    else if ((m = at(WORD, pattern, i))) tokens.push({ kind: 'word', text: m, value: m.toUpperCase(), at: i });
    else throw new PatternError(`unexpected "${pattern.slice(i, i + 20)}" at character ${i + 1}`);
    i += m.length;
  }
  return tokens;
}

/** Parses a pattern into its observation expressions; throws PatternError with where it went wrong. */
export function parsePattern(pattern: string): Observation[] {
  const tokens = tokenize(pattern);
  let pos = 0;
  const observations: Observation[] = [];
  const peek = () => tokens[pos];
  const where = () => (peek() ? `at character ${peek()!.at + 1} ("${peek()!.text.slice(0, 20)}")` : 'at the end');
  const isWord = (w: string) => peek()?.kind === 'word' && peek()!.value === w;
  const isPunct = (p: string) => peek()?.kind === 'punct' && peek()!.value === p;
  const expect = (ok: boolean, what: string): Token => {
    if (!ok) throw new PatternError(`expected ${what} ${where()}`);
    return tokens[pos++]!;
  };
  const constant = (): string => expect(peek()?.kind === 'string' || peek()?.kind === 'number' || isWord('TRUE') || isWord('FALSE'), 'a constant').value;

  const qualifiers = () => {
    for (;;) {
      if (isWord('WITHIN')) {
        pos++;
        expect(peek()?.kind === 'number', 'a number of seconds');
        expect(isWord('SECONDS'), 'SECONDS');
      } else if (isWord('REPEATS')) {
        pos++;
        expect(peek()?.kind === 'number', 'a number of times');
        expect(isWord('TIMES'), 'TIMES');
      } else if (isWord('START')) {
        pos++;
        expect(peek()?.kind === 'string', 'a timestamp');
        expect(isWord('STOP'), 'STOP');
        expect(peek()?.kind === 'string', 'a timestamp');
      } else return;
    }
  };

  // Comparison expressions inside [...]: OR of ANDs of tests; returns whether an OR was met.
  const comparisonOr = (into: Comparison[]): boolean => {
    let or = comparisonAnd(into);
    while (isWord('OR')) {
      pos++;
      comparisonAnd(into);
      or = true;
    }
    return or;
  };
  const comparisonAnd = (into: Comparison[]): boolean => {
    let or = test(into);
    while (isWord('AND')) {
      pos++;
      or = test(into) || or;
    }
    return or;
  };
  const test = (into: Comparison[]): boolean => {
    if (isPunct('(')) {
      pos++;
      const or = comparisonOr(into);
      expect(isPunct(')'), '")"');
      return or;
    }
    const start = peek()?.at ?? pattern.length;
    if (isWord('EXISTS')) {
      pos++;
      const path = expect(peek()?.kind === 'path', 'an object path').value;
      into.push({ path, op: 'EXISTS', negated: false, values: [], text: pattern.slice(start, tokens[pos - 1]!.at + path.length) });
      return false;
    }
    const path = expect(peek()?.kind === 'path', 'an object path such as ipv4-addr:value').value;
    const negated = isWord('NOT') ? (pos++, true) : false;
    let op: string;
    let values: string[];
    if (peek()?.kind === 'op') {
      op = tokens[pos++]!.value;
      values = [constant()];
    } else if (isWord('IN')) {
      pos++;
      op = 'IN';
      expect(isPunct('('), '"(" after IN');
      values = [constant()];
      while (isPunct(',')) {
        pos++;
        values.push(constant());
      }
      expect(isPunct(')'), '")" closing the IN list');
    } else if (isWord('LIKE') || isWord('MATCHES') || isWord('ISSUBSET') || isWord('ISSUPERSET')) {
      op = tokens[pos++]!.value;
      values = [expect(peek()?.kind === 'string', 'a string').value];
    } else throw new PatternError(`expected an operator after ${path} ${where()}`);
    const last = tokens[pos - 1]!;
    into.push({ path, op, negated, values, text: pattern.slice(start, last.at + last.text.length) });
    return false;
  };

  const observation = () => {
    if (isPunct('[')) {
      pos++;
      const comparisons: Comparison[] = [];
      const or = comparisonOr(comparisons);
      expect(isPunct(']'), '"]"');
      observations.push({ comparisons, allAnd: !or });
    } else if (isPunct('(')) {
      pos++;
      observationExpressions();
      expect(isPunct(')'), '")"');
    } else throw new PatternError(`expected "[" ${where()}`);
    qualifiers();
  };
  const observationAnd = () => {
    observation();
    while (isWord('AND')) {
      pos++;
      observation();
    }
  };
  const observationOr = () => {
    observationAnd();
    while (isWord('OR')) {
      pos++;
      observationAnd();
    }
  };
  const observationExpressions = () => {
    observationOr();
    while (isWord('FOLLOWEDBY')) {
      pos++;
      observationOr();
    }
  };

  observationExpressions();
  if (pos < tokens.length) throw new PatternError(`unexpected ${where()}`);
  return observations;
}

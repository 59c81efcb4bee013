/**
 * Every string in a JSON body must be text we can store and give back unchanged: well-formed UTF-16
 * (no lone surrogates, which SQLite silently turns into U+FFFD) and no NUL character (which
 * PostgreSQL refuses in text columns). A body that breaks this is refused with a 400 naming the
 * field, before any route sees it, so no domain stores a value other than the one it was sent.
 */
import type { NextFunction, Request, Response } from 'express';
import { AppError } from './errors.js';

// In /u mode a proper surrogate pair is one code point, so \p{Cs} matches only lone surrogates.
// NUL is matched on purpose: PostgreSQL text cannot hold it, so no backend may be sent it.
// eslint-disable-next-line no-control-regex
const ILL_FORMED = /[\p{Cs}\u0000]/u;
const bad = (s: string) => ILL_FORMED.test(s);

/** The dotted path of the first bad string (as key or value) in `value`, or undefined. Iterative: bodies may nest deeply. */
export function findIllFormedText(value: unknown): string | undefined {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (bad(v)) return path || '(body)';
    } else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        const childPath = path ? `${path}.${k}` : k;
        if (bad(k)) return childPath;
        stack.push([child, childPath]);
      }
    }
  }
  return undefined;
}

export function requireWellFormedText(req: Request, _res: Response, next: NextFunction): void {
  const path = findIllFormedText(req.body);
  if (path) {
    throw new AppError('validation_failed', `Invalid input (${path}: contains a NUL character or broken Unicode)`, {
      [path]: 'contains a NUL character or broken Unicode',
    });
  }
  next();
}

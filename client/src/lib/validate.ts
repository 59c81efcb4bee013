/**
 * Checks a form's input against the same zod schema the server validates with, before anything is
 * sent: a bad field is marked at once, on a slow link too, and the request carries exactly what the
 * schema produced (trimmed, lower-cased usernames). A failure is thrown as the ApiError the server
 * would have answered, so forms show local and server errors the same way.
 */
import type { z } from 'zod';
import { ApiError } from './api.js';

/** Field messages keyed by dotted path, as the server sends them; the first issue per field wins. */
export function issuesToFields(issues: readonly z.core.$ZodIssue[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join('.') || '_';
    fields[key] ??= issue.message;
  }
  return fields;
}

export function checked<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = issuesToFields(result.error.issues);
  const names = Object.keys(fields).filter((k) => k !== '_');
  const message = names.length ? `check ${names.join(', ')}` : (fields._ ?? 'invalid input');
  throw new ApiError(400, 'validation_failed', message, fields);
}

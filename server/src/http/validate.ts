/** Parses request input with a shared zod schema; a failure becomes a 400 with per-field messages. */
import type { z } from 'zod';
import { fromZod } from './errors.js';

export function parse<S extends z.ZodType>(schema: S, input: unknown, prefix?: string): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) throw fromZod(result.error, prefix);
  return result.data;
}

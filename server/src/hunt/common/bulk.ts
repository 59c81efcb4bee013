/** Bulk items are checked one by one against the item schema: a bad row is reported by index, the rest go on. */
import type { z } from 'zod';

export function checkEach<S extends z.ZodType>(
  schema: S,
  items: readonly unknown[],
): { valid: { index: number; item: z.infer<S> }[]; rejected: { index: number; outcome: 'rejected'; reason: string }[] } {
  const valid: { index: number; item: z.infer<S> }[] = [];
  const rejected: { index: number; outcome: 'rejected'; reason: string }[] = [];
  items.forEach((raw, index) => {
    const r = schema.safeParse(raw);
    if (r.success) return void valid.push({ index, item: r.data });
    const issue = r.error.issues[0];
    rejected.push({ index, outcome: 'rejected', reason: `${issue?.path.join('.') || 'item'}: ${issue?.message ?? 'invalid'}` });
  });
  return { valid, rejected };
}

/**
 * STIX timestamps as the bulk command takes them (RFC 3339 with an offset). STIX requires UTC with a Z;
 * some producers leave the Z out, which is still UTC by the standard: it is added, not refused.
 */
import { sightingInputSchema } from '../../../records/indicators.js';

export function stixTime(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?$/.test(v.trim()) ? `${v.trim()}Z` : v.trim();
  return sightingInputSchema.shape.seenAt.safeParse(t).success ? t : undefined;
}

/**
 * The one place the indicator domain asks "is this a valid value of this type, and what is its
 * canonical form": a thin adapter over the indicator library in shared/ (type list, refang,
 * normalization, per-type validation), so the server never normalizes on its own.
 */
import { normalizeIndicator as normalize } from '@huntroom/shared';

export type Normalized = { ok: true; type: string; value: string } | { ok: false; reason: string };

export function normalizeIndicator(type: string, raw: string): Normalized {
  const r = normalize(type, raw);
  return r.ok ? { ok: true, type: r.type, value: r.value } : { ok: false, reason: r.error };
}

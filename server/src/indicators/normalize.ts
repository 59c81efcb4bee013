/**
 * The one place the indicator domain asks "is this a valid value of this type, and what is its
 * canonical form": a thin adapter over the indicator library in shared/ (type list, refang,
 * normalization, per-type validation), so the server never normalizes on its own.
 */
import { normalizeIndicator as normalize } from '@huntroom/shared';

/** `port`: the value was an address written with a port (`1.2.3.4:8443`); `value` is the address alone. */
export type Normalized = { ok: true; type: string; value: string; port?: number } | { ok: false; reason: string };

export function normalizeIndicator(type: string, raw: string): Normalized {
  const r = normalize(type, raw);
  if (!r.ok) return { ok: false, reason: r.error };
  return { ok: true, type: r.type, value: r.value, ...(r.port !== undefined ? { port: r.port } : {}) };
}

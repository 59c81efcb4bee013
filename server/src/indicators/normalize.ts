/**
 * The one place the indicator domain asks "is this a valid value of this type, and what is its
 * canonical form": a thin adapter over the indicator library in shared/ (type list, refang,
 * normalization, per-type validation), so the server never normalizes on its own.
 */
export type Normalized = { ok: true; type: string; value: string } | { ok: false; reason: string };

// TEMPORARY until shared/src/indicators lands: trims, refangs the common forms and lower-cases the
// types that are case-insensitive. Replaced by the library's normalize/validate.
const TYPES = new Set(['ip-src', 'ip-dst', 'cidr', 'domain', 'hostname', 'url', 'email', 'md5', 'sha1', 'sha256', 'sha512', 'ssdeep', 'filename', 'filepath', 'regkey', 'mutex', 'user-agent', 'as', 'cve', 'btc', 'ja3', 'yara', 'other']);
const LOWER = new Set(['domain', 'hostname', 'md5', 'sha1', 'sha256', 'sha512', 'email', 'ja3']);
const HEX: Record<string, number> = { md5: 32, sha1: 40, sha256: 64, sha512: 128 };

export function normalizeIndicator(type: string, raw: string): Normalized {
  if (!TYPES.has(type)) return { ok: false, reason: `unknown indicator type "${type}"` };
  let v = raw.trim().replace(/\[\.\]|\(\.\)|\[dot\]|\{\.\}/gi, '.').replace(/^hxxp/i, 'http').replace(/\[@\]/g, '@');
  if (LOWER.has(type)) v = v.toLowerCase().replace(/\.$/, '');
  if (!v) return { ok: false, reason: 'the value is empty' };
  const hexLen = HEX[type];
  if (hexLen && !new RegExp(`^[0-9a-f]{${hexLen}}$`).test(v)) return { ok: false, reason: `a ${type} is ${hexLen} hexadecimal characters` };
  if ((type === 'domain' || type === 'hostname') && !/^[a-z0-9_-]+(\.[a-z0-9_-]+)+$/.test(v)) return { ok: false, reason: 'not a valid domain name' };
  if ((type === 'ip-src' || type === 'ip-dst') && !/^[0-9a-f.:]+$/i.test(v)) return { ok: false, reason: 'not a valid IP address' };
  return { ok: true, type, value: v };
}

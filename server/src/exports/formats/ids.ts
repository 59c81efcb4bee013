/** Stable STIX and MISP identifiers: a name-based UUID (version 5 layout over SHA-1), so the same
 * indicator exported twice keeps its id and a receiving platform updates instead of duplicating. */
import { createHash } from 'node:crypto';

export function stableUuid(name: string): string {
  const h = createHash('sha1').update(`huntroom:${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

export const stixId = (type: string, name: string): string => `${type}--${stableUuid(`${type}:${name}`)}`;

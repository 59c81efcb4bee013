/** Indicator types, aligned with MISP's attribute types (DESIGN.md section 5). */
import * as z from 'zod';

export const INDICATOR_TYPES = [
  'ip-src',
  'ip-dst',
  'cidr',
  'domain',
  'hostname',
  'url',
  'email',
  'md5',
  'sha1',
  'sha256',
  'sha512',
  'ssdeep',
  'filename',
  'filepath',
  'regkey',
  'mutex',
  'user-agent',
  'as',
  'cve',
  'btc',
  'ja3',
  'yara',
  'other',
] as const;

export const indicatorTypeSchema = z.enum(INDICATOR_TYPES);
export type IndicatorType = z.infer<typeof indicatorTypeSchema>;

export const isIndicatorType = (t: string): t is IndicatorType => (INDICATOR_TYPES as readonly string[]).includes(t);

/** Hex length of each hash type. */
export const HASH_LENGTHS = { md5: 32, sha1: 40, sha256: 64, sha512: 128 } as const;

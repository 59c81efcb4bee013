/**
 * Migration 14: an indicator's end of validity (STIX `valid_until`), so an OpenCTI or vendor
 * indicator's expiry survives an import and every export can write it back. Null: no end given (most
 * indicators); a timestamp is stored as ISO 8601 UTC text like every other time column.
 */
import type { Migration } from './types.js';

export const indicatorValidUntil: Migration = {
  version: 14,
  name: 'indicators: valid_until (end of validity, nullable)',
  up: () => [`ALTER TABLE indicators ADD COLUMN valid_until TEXT`],
};

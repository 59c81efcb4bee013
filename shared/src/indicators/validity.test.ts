import { describe, expect, it } from 'vitest';
import { expiredNote, isExpired } from './validity.js';

describe('end of validity', () => {
  const now = Date.parse('2026-05-01T10:00:00Z');
  it('an indicator has expired at its validUntil and after, not before; none given never expires', () => {
    expect(isExpired('2026-05-01T10:00:00.000Z', now)).toBe(true);
    expect(isExpired('2026-05-01T09:59:59.999Z', now)).toBe(true);
    expect(isExpired('2026-05-01T10:00:00.001Z', now)).toBe(false);
    expect(isExpired(undefined, now)).toBe(false);
    expect(isExpired(null, now)).toBe(false);
    expect(isExpired('not a time', now)).toBe(false);
  });
  it('says "expired on <UTC date>" for an expired one only', () => {
    expect(expiredNote('2025-12-31T23:00:00.000Z', now)).toBe('expired on 2025-12-31');
    expect(expiredNote('2030-01-01T00:00:00.000Z', now)).toBeUndefined();
  });
});

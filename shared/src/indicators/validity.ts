/**
 * An indicator's end of validity (`validUntil`, from STIX `valid_until`). An expired indicator is kept,
 * never dropped or unticked on import: STIX's validity is the producer's estimate of how long a value is
 * worth alerting on, and an analyst hunting back through older logs still wants last year's C2 matched.
 * So the preview, the table and the detail panel say "expired on <date>" and the analyst decides.
 */

/** True when `validUntil` is at or before `now` (an indicator valid until 10:00 has expired at 10:00). */
export function isExpired(validUntil: string | undefined | null, now: number = Date.now()): boolean {
  if (!validUntil) return false;
  const t = Date.parse(validUntil);
  return !Number.isNaN(t) && t <= now;
}

/** "expired on 2024-05-01" for an expired indicator (UTC date), else undefined. */
export function expiredNote(validUntil: string | undefined | null, now: number = Date.now()): string | undefined {
  return isExpired(validUntil, now) ? `expired on ${validUntil!.slice(0, 10)}` : undefined;
}

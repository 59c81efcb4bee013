/**
 * Seconds left before a rate-limited request may be retried, counting down once a second, from the
 * Retry-After of a 429 (a minute when the server did not say). Zero when there is nothing to wait for.
 */
import { useEffect, useState } from 'react';
import { ApiError } from '../../lib/api.js';

export function useRetryCountdown(error: unknown): number {
  const [left, setLeft] = useState(0);
  useEffect(() => {
    if (!(error instanceof ApiError) || error.code !== 'rate_limited') return setLeft(0);
    const until = Date.now() + (error.retryAfterSeconds ?? 60) * 1_000;
    const tick = () => setLeft(Math.max(0, Math.ceil((until - Date.now()) / 1_000)));
    tick();
    const timer = setInterval(tick, 1_000);
    return () => clearInterval(timer);
  }, [error]);
  return left;
}

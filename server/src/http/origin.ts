/**
 * Origin checks for state-changing requests and both websocket paths. Allowed: the configured
 * PUBLIC_URL and ALLOWED_ORIGINS, and otherwise the server's own origin as the browser addressed it
 * (the Host header), which is what a same-origin page sends.
 */
import type { Request } from 'express';
import type { Config } from '../config.js';

export function isAllowedOrigin(origin: string | undefined, host: string | undefined, config: Config): boolean {
  // Non-browser clients (scripts, y-websocket in Node) send no Origin; they still need a cookie,
  // ticket or token, so the Origin check is not their gate.
  if (!origin) return true;
  if (config.allowedOrigins.includes(origin)) return true;
  try {
    return !!host && new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** The origin the browser used to reach us, for links we hand out when PUBLIC_URL is not set. */
export const requestOrigin = (req: Request): string => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

/**
 * Authentication for REST: a bearer personal access token or the session cookie. Cookie-authenticated
 * state changes must carry X-CSRF-Token equal to the session's token (synchronizer-token pattern);
 * bearer requests cannot be forged by a browser and need none.
 */
import type { NextFunction, Request, Response } from 'express';
import type { AppContext } from '../context.js';
import { AppError } from '../http/errors.js';
import { safeEqual } from '../util.js';
import { readSessionCookie } from './cookies.js';
import { fromBearer, fromSessionCookie } from './service.js';
import type { AuthContext } from './context.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function authenticate(ctx: AppContext) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const auth = match ? await fromBearer(ctx, match[1]!) : undefined;
      if (!auth) throw new AppError('unauthenticated', 'invalid or revoked access token');
      req.auth = auth;
      return next();
    }
    const cookie = readSessionCookie(req.headers.cookie);
    if (cookie) req.auth = await fromSessionCookie(ctx, cookie);
    if (req.auth && req.auth.via === 'session' && !SAFE_METHODS.has(req.method)) {
      const sent = req.get('x-csrf-token');
      if (!sent || !req.auth.csrfToken || !safeEqual(sent, req.auth.csrfToken)) {
        throw new AppError('csrf_failed', 'missing or wrong X-CSRF-Token header; reload the page');
      }
    }
    next();
  };
}

/** The caller, or a 401. */
export function requireAuth(req: Request): AuthContext {
  if (!req.auth) throw new AppError('unauthenticated', 'log in first');
  return req.auth;
}

/**
 * Who calls a TAXII route: a personal access token, sent as `Authorization: Bearer hrt_...` or, since
 * many TAXII clients (OpenCTI, MISP's taxii2-client scripts) only speak HTTP Basic, as the Basic
 * password (the user name is ignored: the token alone names the account). No session cookie is read:
 * these routes are for partners' machines, and a cookie would let any page the user opens pull the feed.
 * The routes sit outside /api, so this is their only authentication.
 */
import type { NextFunction, Request, Response } from 'express';
import type { AppContext } from '../context.js';
import { AppError } from '../http/errors.js';
import { fromBearer } from '../auth/service.js';

function tokenOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) return bearer[1];
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (!basic) return undefined;
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}

export function taxiiAuthenticate(ctx: AppContext) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    if (!header) throw new AppError('unauthenticated', 'send a personal access token: Authorization: Bearer hrt_..., or HTTP Basic with the token as password');
    const token = tokenOf(header);
    const auth = token ? await fromBearer(ctx, token) : undefined;
    if (!auth) throw new AppError('unauthenticated', 'invalid, expired or revoked access token');
    req.auth = auth;
    next();
  };
}

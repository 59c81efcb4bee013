/** REST: /api/auth/login, /api/auth/logout, /api/me, /api/tokens. */
import { Router } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { createTokenSchema, loginSchema, type MeResponse } from '@huntroom/shared';
import type { AppContext } from '../context.js';
import { AppError } from '../http/errors.js';
import { parse } from '../http/validate.js';
import { clearSessionCookie, setSessionCookie } from './cookies.js';
import { requireAuth } from './middleware.js';
import { createAccessToken, login, logout, revokeAccessToken } from './service.js';
import { tokenStore } from './store.js';
import { publicAuthority } from '../authority/policy.js';

/** The username a login body names, as the per-username limit counts it ('' when it names none). */
function usernameKey(body: unknown): string {
  const username = (body as { username?: unknown } | undefined)?.username;
  return typeof username === 'string' ? username.trim().toLowerCase() : '';
}

export function authRoutes(ctx: AppContext): Router {
  const r = Router();

  // Password spraying: one address trying many usernames. Failed attempts a minute from one address
  // over all usernames (LOGIN_LIMIT_PER_ADDRESS); successful logins give their count back, so an
  // office behind one proxy logging in at nine is not locked out by its own people.
  const addressLimit = rateLimit({
    windowMs: 60_000,
    limit: ctx.config.limits.loginPerAddress,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? ''),
    handler: () => {
      throw new AppError('rate_limited', 'too many failed logins from your address; wait a minute and try again');
    },
  });

  // Password guessing: 10 attempts a minute per address and username (LOGIN_LIMIT_PER_USERNAME), then
  // a clear 429. The key normalizes the username the way loginSchema does (trim, lower-case), else
  // " alice", "ALICE" and "alice\t" would each get a fresh budget against the same account.
  const loginLimit = rateLimit({
    windowMs: 60_000,
    limit: ctx.config.limits.loginPerUsername,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => `${ipKeyGenerator(req.ip ?? '')}|${usernameKey(req.body)}`,
    handler: () => {
      throw new AppError('rate_limited', 'too many login attempts; wait a minute and try again');
    },
  });

  r.post('/auth/login', addressLimit, loginLimit, async (req, res) => {
    const { username, password } = parse(loginSchema, req.body);
    const result = await login(ctx, username, password, req.ip ?? '');
    setSessionCookie(res, result.sessionToken, ctx.config.cookieSecure);
    const body: MeResponse = { account: result.account, csrfToken: result.csrfToken, authority: await publicAuthority(ctx.db, result.account) };
    res.json(body);
  });

  r.post('/auth/logout', async (req, res) => {
    if (req.auth) await logout(ctx, req.auth);
    clearSessionCookie(res, ctx.config.cookieSecure);
    res.json({ ok: true });
  });

  r.get('/me', async (req, res) => {
    const auth = requireAuth(req);
    const body: MeResponse = { account: auth.account, csrfToken: auth.csrfToken ?? null, authority: await publicAuthority(ctx.db, auth.account) };
    res.json(body);
  });

  r.get('/tokens', async (req, res) => {
    const auth = requireAuth(req);
    res.json({ tokens: await tokenStore.list(ctx.db, auth.account.id) });
  });

  r.post('/tokens', async (req, res) => {
    const auth = requireAuth(req);
    // A stolen token must not be able to mint others that outlive its revocation.
    if (auth.via === 'token') throw new AppError('forbidden', 'create access tokens from a logged-in session, not with another token');
    const input = parse(createTokenSchema, req.body);
    res.status(201).json(await createAccessToken(ctx, auth.account, input.name, input.expiresInDays));
  });

  r.delete('/tokens/:tokenId', async (req, res) => {
    const auth = requireAuth(req);
    await revokeAccessToken(ctx, auth.account, req.params.tokenId);
    res.json({ ok: true });
  });

  return r;
}

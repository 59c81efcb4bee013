/** Use cases of authentication: log in and out, resolve a cookie or bearer token, manage tokens. */
import type { Account, AccessTokenInfo } from '@huntroom/shared';
import type { AppContext } from '../context.js';
import type { Db } from '../storage/db.js';
import { AppError } from '../http/errors.js';
import { auditStore } from '../audit/store.js';
import { accountStore, publicAccount, sessionStore, tokenStore } from './store.js';
import { hashPassword, timingDummyHash, verifyPassword } from './passwords.js';
import { SESSION_DAYS } from './cookies.js';
import type { AuthContext } from './context.js';
import { addHours, newSecret, sha256 } from '../util.js';

export const TOKEN_PREFIX = 'hrt_';

export async function login(ctx: AppContext, username: string, password: string, ip: string) {
  const found = await accountStore.byUsername(ctx.db, username);
  // Every login costs one argon2 hash (19 MiB): at most `hashesAtOnce` at a time (hashGate.ts).
  const ok = await ctx.resources.hashes.run(async () => verifyPassword(found?.passwordHash ?? (await timingDummyHash()), password));
  if (!found || !ok) {
    await auditStore.write(ctx.db, { actorId: found?.id, teamId: found?.team.id, action: 'auth.login_failed', detail: { username, ip } });
    throw new AppError('unauthenticated', 'wrong username or password');
  }
  const account = publicAccount(found);
  return { account, ...(await startSession(ctx.db, account, { ip })) };
}

/** Opens a login session for an account that has proved who it is; returns the cookie and CSRF secrets. */
export async function startSession(db: Db, account: Account, detail: Record<string, unknown>) {
  const sessionToken = newSecret();
  const csrfToken = newSecret();
  await db.transaction(async (tx) => {
    await sessionStore.create(tx, { idHash: sha256(sessionToken), accountId: account.id, csrfToken, expiresAt: addHours(SESSION_DAYS * 24) });
    await auditStore.write(tx, { actorId: account.id, teamId: account.team.id, action: 'auth.login', detail });
  });
  return { sessionToken, csrfToken };
}

export async function logout(ctx: AppContext, auth: AuthContext): Promise<void> {
  if (auth.sessionIdHash) {
    await sessionStore.delete(ctx.db, auth.sessionIdHash);
    // An open socket.io connection made with this session must not outlive it.
    ctx.realtime.endCredential('session', auth.sessionIdHash);
  }
  await auditStore.write(ctx.db, { actorId: auth.account.id, teamId: auth.account.team.id, action: 'auth.logout' });
}

export async function fromSessionCookie(ctx: Pick<AppContext, 'db'>, token: string): Promise<AuthContext | undefined> {
  const idHash = sha256(token);
  const session = await sessionStore.find(ctx.db, idHash);
  if (!session) return undefined;
  const account = await accountStore.byId(ctx.db, session.accountId);
  if (!account) return undefined;
  return { account: publicAccount(account), via: 'session', sessionIdHash: idHash, csrfToken: session.csrfToken };
}

export async function fromBearer(ctx: Pick<AppContext, 'db'>, token: string): Promise<AuthContext | undefined> {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const live = await tokenStore.use(ctx.db, sha256(token));
  const account = live ? await accountStore.byId(ctx.db, live.accountId) : undefined;
  return account && { account: publicAccount(account), via: 'token', tokenId: live!.id };
}

export async function createAccessToken(ctx: AppContext, account: Account, name: string, expiresInDays?: number): Promise<AccessTokenInfo & { token: string }> {
  const token = newSecret(TOKEN_PREFIX);
  const info = await ctx.db.transaction(async (tx) => {
    const created = await tokenStore.create(tx, {
      accountId: account.id,
      name,
      tokenHash: sha256(token),
      expiresAt: expiresInDays ? addHours(expiresInDays * 24) : null,
    });
    await auditStore.write(tx, { actorId: account.id, teamId: account.team.id, action: 'token.created', detail: { name, id: created.id } });
    return created;
  });
  return { ...info, token };
}

export async function revokeAccessToken(ctx: AppContext, account: Account, id: string): Promise<void> {
  const done = await tokenStore.revoke(ctx.db, account.id, id);
  if (!done) throw new AppError('not_found', 'token not found');
  // A script's socket.io connection made with this token must not outlive it.
  ctx.realtime.endCredential('token', id);
  await auditStore.write(ctx.db, { actorId: account.id, teamId: account.team.id, action: 'token.revoked', detail: { id } });
}

/** Creates an account; the username must be free and the team must exist. */
export async function createAccount(db: Db, input: { username: string; password: string; displayName?: string | undefined; teamId: string }): Promise<string> {
  const passwordHash = await hashPassword(input.password);
  return accountStore.create(db, {
    username: input.username,
    displayName: input.displayName ?? input.username,
    passwordHash,
    teamId: input.teamId,
  });
}

/**
 * REST: /api/workspaces, members, invites and the audit trail. Thin: validate, call the service,
 * present. Members may be addressed by body (`{username}`) or by path (`/members/:username`).
 */
import { Router, type Request } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import {
  acceptInviteSchema,
  addMemberSchema,
  createInviteSchema,
  createWorkspaceSchema,
  removeMemberSchema,
  updateMemberSchema,
  updateWorkspaceSchema,
  memberUsernameSchema,
} from '@huntroom/shared';
import type { AppContext } from '../context.js';
import { requestOrigin } from '../http/origin.js';
import { requireAuth } from '../auth/middleware.js';
import { setSessionCookie } from '../auth/cookies.js';
import { startSession } from '../auth/service.js';
import { parse } from '../http/validate.js';
import { AppError } from '../http/errors.js';
import { auditStore } from '../audit/store.js';
import { addMember, changeRole, createWorkspace, deleteWorkspace, loadWorkspace, removeMember } from './service.js';
import { acceptInvite, createInvite, describeInvite } from './invites.js';
import { workspaceStore } from './store.js';

/** The origin the caller reached us at, for invite links when PUBLIC_URL is unset. */

export function workspaceRoutes(ctx: AppContext): Router {
  const r = Router();

  r.get('/workspaces', async (req, res) => {
    const { account } = requireAuth(req);
    res.json({ workspaces: await workspaceStore.listFor(ctx.db, account.id) });
  });

  r.post('/workspaces', async (req, res) => {
    const { account } = requireAuth(req);
    res.status(201).json(await createWorkspace(ctx, account, parse(createWorkspaceSchema, req.body)));
  });

  r.get('/workspaces/:id', async (req, res) => {
    const { account } = requireAuth(req);
    res.json(await loadWorkspace(ctx.db, req.params.id, account, 'read'));
  });

  r.patch('/workspaces/:id', async (req, res) => {
    const { account } = requireAuth(req);
    const patch = parse(updateWorkspaceSchema, req.body);
    await loadWorkspace(ctx.db, req.params.id, account, 'manage');
    await ctx.db.transaction(async (tx) => {
      await workspaceStore.update(tx, req.params.id, patch);
      await auditStore.write(tx, { workspaceId: req.params.id, actorId: account.id, teamId: account.team.id, action: 'workspace.updated', detail: patch });
    });
    res.json(await loadWorkspace(ctx.db, req.params.id, account, 'read'));
  });

  r.delete('/workspaces/:id', async (req, res) => {
    const { account } = requireAuth(req);
    await deleteWorkspace(ctx, account, req.params.id);
    res.json({ ok: true });
  });

  r.get('/workspaces/:id/members', async (req, res) => {
    const { account } = requireAuth(req);
    await loadWorkspace(ctx.db, req.params.id, account, 'read');
    res.json({ members: await workspaceStore.members(ctx.db, req.params.id) });
  });

  r.post('/workspaces/:id/members', async (req, res) => {
    const { account } = requireAuth(req);
    const input = parse(addMemberSchema, req.body);
    res.status(201).json(await addMember(ctx, account, req.params.id, input.username, input.role));
  });

  const patchMember = async (req: Request, username: unknown) => {
    const { account } = requireAuth(req);
    const input = parse(updateMemberSchema, { ...(req.body as object), ...(username ? { username } : {}) });
    return changeRole(ctx, account, req.params.id as string, input.username, input.role);
  };
  r.patch('/workspaces/:id/members', async (req, res) => void res.json(await patchMember(req, undefined)));
  r.patch('/workspaces/:id/members/:username', async (req, res) => void res.json(await patchMember(req, req.params.username)));

  const deleteMember = async (req: Request, username: unknown) => {
    const { account } = requireAuth(req);
    const input = username ? { username: parse(memberUsernameSchema, username, 'username') } : parse(removeMemberSchema, req.body);
    await removeMember(ctx, account, req.params.id as string, input.username);
  };
  r.delete('/workspaces/:id/members', async (req, res) => void (await deleteMember(req, undefined), res.json({ ok: true })));
  r.delete('/workspaces/:id/members/:username', async (req, res) => void (await deleteMember(req, req.params.username), res.json({ ok: true })));

  r.post('/workspaces/:id/invites', async (req, res) => {
    const { account } = requireAuth(req);
    const input = parse(createInviteSchema, req.body);
    res.status(201).json(await createInvite(ctx, account, req.params.id, input, requestOrigin(req)));
  });

  // Owners only (the audit view): the trail says who exported what to whom, which other teams
  // need not know. Details hold ids, never the titles or values of marked items; rows about items the
  // owner's team may not see are left out (audit/subjects.ts).
  r.get('/workspaces/:id/audit', async (req, res) => {
    const { account } = requireAuth(req);
    await loadWorkspace(ctx.db, req.params.id, account, 'manage');
    res.json({ entries: await auditStore.forWorkspace(ctx.db, req.params.id, { teamId: account.team.id, teamCode: account.team.code }) });
  });

  // Invites are looked at and accepted by people who may not have an account yet, so these routes
  // are open to anyone: limit failed attempts (unknown, expired or used-up tokens, refused accepts)
  // per address, as DESIGN.md section 8 asks for invites. Successful uses do not count.
  const inviteLimit = rateLimit({
    windowMs: 60_000,
    limit: 30,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? ''),
    handler: () => {
      throw new AppError('rate_limited', 'too many failed invite attempts; wait a minute and try again');
    },
  });
  r.use('/invites', inviteLimit);

  r.get('/invites/:token', async (req, res) => {
    res.json(await describeInvite(ctx, req.params.token));
  });

  r.post('/invites/:token/accept', async (req, res) => {
    const input = parse(acceptInviteSchema, req.body);
    const result = await acceptInvite(ctx, req.params.token, req.auth?.account, input);
    let csrfToken = req.auth?.csrfToken ?? null;
    if (result.createdAccount) {
      const session = await startSession(ctx.db, result.createdAccount, { ip: req.ip, via: 'invite' });
      setSessionCookie(res, session.sessionToken, ctx.config.cookieSecure);
      csrfToken = session.csrfToken;
    }
    res.status(201).json({
      workspaceId: result.workspaceId,
      member: result.member,
      ...(result.createdAccount ? { account: result.createdAccount, csrfToken } : {}),
    });
  });

  return r;
}

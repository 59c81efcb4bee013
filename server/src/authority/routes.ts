/**
 * REST of the authority model (docs/security.md): the caller's authority, site settings, team admins,
 * accounts made by team admins, and the invite requests that wait for a team's admins.
 */
import { Router } from 'express';
import { createTeamAccountSchema, inviteDecisionSchema, siteSettingsSchema, teamAdminSchema, usernameSchema } from '@huntroom/shared';
import type { AppContext } from '../context.js';
import { requireAuth } from '../auth/middleware.js';
import { parse } from '../http/validate.js';
import { publicAuthority, requireAuthority } from './policy.js';
import { authorityStore } from './store.js';
import { decideInvite, pendingRequests, workspaceInvites } from './invites.js';
import { addTeamAdmin, createTeamAccount, removeTeamAdmin, teamByCode, updateSettings } from './teams.js';

export function authorityRoutes(ctx: AppContext): Router {
  const r = Router();

  r.get('/authority', async (req, res) => {
    const { account } = requireAuth(req);
    res.json(await publicAuthority(ctx.db, account));
  });

  r.get('/settings', async (req, res) => {
    requireAuth(req);
    res.json(await authorityStore.settings(ctx.db));
  });

  r.put('/settings', async (req, res) => {
    const { account } = requireAuth(req);
    await requireAuthority(ctx.db, account, 'settings.update');
    res.json(await updateSettings(ctx, account, parse(siteSettingsSchema, req.body)));
  });

  // Who administers a team is not secret: an owner needs to know whom an invite request goes to.
  r.get('/teams/:code/admins', async (req, res) => {
    requireAuth(req);
    const team = await teamByCode(ctx.db, req.params.code);
    res.json({ admins: await authorityStore.teamAdmins(ctx.db, team.id) });
  });

  r.post('/teams/:code/admins', async (req, res) => {
    const { account } = requireAuth(req);
    await requireAuthority(ctx.db, account, 'team.admins');
    const { username } = parse(teamAdminSchema, req.body);
    const team = await teamByCode(ctx.db, req.params.code);
    const added = await addTeamAdmin(ctx.db, team, username, { id: account.id, teamId: account.team.id });
    res.status(added ? 201 : 200).json({ admins: await authorityStore.teamAdmins(ctx.db, team.id) });
  });

  r.delete('/teams/:code/admins/:username', async (req, res) => {
    const { account } = requireAuth(req);
    await requireAuthority(ctx.db, account, 'team.admins');
    const team = await teamByCode(ctx.db, req.params.code);
    await removeTeamAdmin(ctx.db, team, parse(usernameSchema, req.params.username, 'username'), { id: account.id, teamId: account.team.id });
    res.json({ admins: await authorityStore.teamAdmins(ctx.db, team.id) });
  });

  r.post('/teams/:code/accounts', async (req, res) => {
    const { account } = requireAuth(req);
    // Authorize before the body is looked at (and before any password is hashed).
    await requireAuthority(ctx.db, account, 'account.create', (await teamByCode(ctx.db, req.params.code)).id);
    res.status(201).json(await createTeamAccount(ctx, account, req.params.code, parse(createTeamAccountSchema, req.body)));
  });

  r.get('/invite-requests', async (req, res) => {
    const { account } = requireAuth(req);
    res.json({ requests: await pendingRequests(ctx, account) });
  });

  r.post('/invite-requests/:id', async (req, res) => {
    const { account } = requireAuth(req);
    const { decision } = parse(inviteDecisionSchema, req.body);
    res.json(await decideInvite(ctx, account, req.params.id, decision));
  });

  r.get('/workspaces/:id/invites', async (req, res) => {
    const { account } = requireAuth(req);
    res.json({ invites: await workspaceInvites(ctx, account, req.params.id) });
  });

  return r;
}

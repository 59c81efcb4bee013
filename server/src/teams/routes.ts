/** REST: /api/teams. Anyone logged in lists teams; an owner of any workspace may add one (for invites). */
import { Router } from 'express';
import { createTeamSchema } from '@huntroom/shared';
import type { AppContext } from '../context.js';
import { requireAuth } from '../auth/middleware.js';
import { parse } from '../http/validate.js';
import { conflict, forbidden } from '../http/errors.js';
import { UniqueViolation } from '../storage/db.js';
import { auditStore } from '../audit/store.js';
import { teamStore } from './store.js';

export function teamRoutes(ctx: AppContext): Router {
  const r = Router();

  r.get('/teams', async (req, res) => {
    requireAuth(req);
    res.json({ teams: await teamStore.list(ctx.db) });
  });

  r.post('/teams', async (req, res) => {
    const auth = requireAuth(req);
    const input = parse(createTeamSchema, req.body);
    const owns = await ctx.db.get("SELECT 1 AS x FROM members WHERE account_id = ? AND role = 'owner' LIMIT 1", [auth.account.id]);
    if (!owns) throw forbidden('only workspace owners may add teams');
    try {
      const team = await ctx.db.transaction(async (tx) => {
        const created = await teamStore.create(tx, input);
        await auditStore.write(tx, { actorId: auth.account.id, teamId: auth.account.team.id, action: 'team.created', detail: { code: created.code } });
        return created;
      });
      res.status(201).json(team);
    } catch (err) {
      if (err instanceof UniqueViolation) throw conflict(`team ${input.code} already exists`);
      throw err;
    }
  });

  return r;
}

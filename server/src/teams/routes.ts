/** REST: /api/teams. Anyone logged in lists teams; only the operator (a site admin) adds one. */
import { Router } from 'express';
import { createTeamSchema } from '@huntroom/shared';
import type { AppContext } from '../context.js';
import { requireAuth } from '../auth/middleware.js';
import { parse } from '../http/validate.js';
import { conflict } from '../http/errors.js';
import { requireAuthority } from '../authority/policy.js';
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
    await requireAuthority(ctx.db, auth.account, 'team.create');
    const input = parse(createTeamSchema, req.body);
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

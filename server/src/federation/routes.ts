/**
 * REST of federation for people at a browser (issue 20 items 2 and 3): the same acts as the operator's
 * CLI (links.ts, shares.ts), each refused with the same sentences, audited with the account that did it
 * and `via: 'admin screen'`.
 *
 * | route                                              | who                                   |
 * |----------------------------------------------------|---------------------------------------|
 * | GET  /federation/identity, /federation/links       | site admins                           |
 * | POST /federation/identity/rotate                   | site admins                           |
 * | POST /federation/links, .../suspend|resume|rotate  | site admins                           |
 * | DELETE /federation/links/:name                     | site admins                           |
 * | GET/POST /workspaces/:id/federation/...            | the workspace's owners                |
 * | GET /federation/offers, POST .../:offerId/accept   | admins of the team an offer is for    |
 * | POST /workspaces/:id/federation/withdraw {link}    | the home: the workspace's owners; the |
 * |                                                    | replica: admins of a team it is for   |
 */
import { Router, type Request } from 'express';
import * as z from 'zod';
import type { Account } from '@huntroom/shared';
import type { AppContext } from '../context.js';
import type { Db } from '../storage/db.js';
import { requireAuth } from '../auth/middleware.js';
import { parse } from '../http/validate.js';
import { AppError, forbidden } from '../http/errors.js';
import { authorityOf } from '../authority/policy.js';
import { loadWorkspace } from '../workspaces/service.js';
import { addLink, FederationError, removeLink, rotateIdentityKey, rotateLinkKey, setLinkState, type ChangedBy } from './links.js';
import { acceptOffer, offerWorkspace, shareStore, type Share } from './shares.js';
import { withdrawShare } from './withdraw.js';
import { federationStore, type Link } from './store.js';

const SITE_ADMINS_ONLY = 'only the operator (a site admin) may manage federation links';

/**
 * A FederationError as an HTTP error: its sentence, without the CLI's `--` on a field name (the field
 * gets the sentence too, for the form); "no ..." is 404, "already ..." 409, the rest 400.
 */
function httpError(err: unknown): unknown {
  if (!(err instanceof FederationError)) return err;
  const m = /^--([a-z]+): (.*)$/s.exec(err.message);
  const message = m ? `${m[1]}: ${m[2]}` : err.message;
  const code = /^(--[a-z]+: )?no (link|offer|workspace) /.test(err.message) ? 'not_found' : /\balready\b/.test(err.message) ? 'conflict' : 'bad_request';
  return new AppError(code, message, m ? { [m[1]!]: m[2]! } : undefined);
}

async function federationCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw httpError(err);
  }
}

const linkNameParam = z.string().min(1).max(64);
const addLinkBody = z.object({
  name: z.string().max(64),
  url: z.string().max(2000),
  teams: z.union([z.string().max(500), z.array(z.string().max(20)).max(50)]),
  key: z.string().max(2000),
});
const rotateBody = z.object({ key: z.string().min(1, 'paste the peer’s new public key').max(2000) });
const offerBody = z.object({
  link: z.string().min(1, 'choose a link').max(64),
  role: z.enum(['hunter', 'observer'], { message: 'hunter or observer (the highest role the other instance may give its members)' }).default('hunter'),
});
const withdrawBody = z.object({ link: z.string().min(1, 'choose the link to withdraw the workspace from').max(64) });
const acceptBody = z.object({ members: z.array(z.string().min(1).max(200)).min(1, 'choose at least one member').max(5000).optional() });

/** A link as the admin screen shows it: no private material exists on a link, only the peer's public key. */
const linkView = (ctx: AppContext, l: Link) => ({
  name: l.name,
  url: l.url,
  teams: l.teams,
  state: l.state,
  publicKey: l.publicKey,
  createdAt: l.createdAt,
  updatedAt: l.updatedAt,
  lastConnectedAt: l.lastConnectedAt,
  lastError: l.lastError,
  /** The link's session is up on the node that answered (a link lives on one node). */
  up: ctx.federation?.isUp(l.name) ?? false,
});

const teamCodes = async (db: Db, ids: string[]): Promise<string[]> => {
  if (!ids.length) return [];
  const rows = await db.all<{ id: string; code: string }>(`SELECT id, code FROM teams WHERE id IN (${ids.map(() => '?').join(', ')})`, ids);
  return ids.map((id) => rows.find((r) => r.id === id)?.code ?? '(unknown team)');
};

const shareView = async (db: Db, s: Share) => ({
  offerId: s.offerId,
  workspaceId: s.workspaceId,
  workspaceName: s.workspaceName,
  link: s.link,
  home: s.home,
  role: s.role,
  state: s.state,
  teams: await teamCodes(db, s.peerTeams),
  createdAt: s.createdAt,
  acceptedAt: s.acceptedAt,
});

export function federationRoutes(ctx: AppContext): Router {
  const r = Router();

  const siteAdmin = async (req: Request): Promise<{ account: Account; by: ChangedBy }> => {
    const { account } = requireAuth(req);
    if (!(await authorityOf(ctx.db, account)).siteAdmin) throw forbidden(SITE_ADMINS_ONLY);
    return { account, by: { actorId: account.id, teamId: account.team.id, via: 'admin screen' } };
  };

  r.get('/federation/identity', async (req, res) => {
    await siteAdmin(req);
    const i = await federationStore.identity(ctx.db);
    res.json({ identity: i ? { name: i.name, url: i.url, publicKey: i.publicKey } : null });
  });

  // A new key pair for this instance; answers the new public key for the peers' operators to install.
  r.post('/federation/identity/rotate', async (req, res) => {
    const { by } = await siteAdmin(req);
    const i = await federationCall(() => rotateIdentityKey(ctx.db, by));
    res.json({ identity: { name: i.name, url: i.url, publicKey: i.publicKey } });
  });

  r.get('/federation/links', async (req, res) => {
    await siteAdmin(req);
    res.json({ links: (await federationStore.links(ctx.db)).map((l) => linkView(ctx, l)) });
  });

  r.post('/federation/links', async (req, res) => {
    const { by } = await siteAdmin(req);
    const body = parse(addLinkBody, req.body);
    const teams = Array.isArray(body.teams) ? body.teams.join(',') : body.teams;
    const link = await federationCall(() => addLink(ctx.db, { ...body, teams }, by));
    res.status(201).json(linkView(ctx, link));
  });

  for (const [action, state] of [
    ['suspend', 'suspended'],
    ['resume', 'active'],
  ] as const) {
    r.post(`/federation/links/:name/${action}`, async (req, res) => {
      const { by } = await siteAdmin(req);
      const name = parse(linkNameParam, req.params.name, 'name');
      const { link, changed } = await federationCall(() => setLinkState(ctx.db, name, state, by));
      res.json({ ...linkView(ctx, link), changed });
    });
  }

  r.post('/federation/links/:name/rotate', async (req, res) => {
    const { by } = await siteAdmin(req);
    const name = parse(linkNameParam, req.params.name, 'name');
    const { key } = parse(rotateBody, req.body);
    res.json(linkView(ctx, await federationCall(() => rotateLinkKey(ctx.db, name, key, by))));
  });

  r.delete('/federation/links/:name', async (req, res) => {
    const { by } = await siteAdmin(req);
    const name = parse(linkNameParam, req.params.name, 'name');
    const link = await federationCall(() => removeLink(ctx.db, name, by));
    res.json({ ok: true, name: link.name });
  });

  // Owners: the workspace's shares, and the links it could be offered over (names, teams and whether
  // each is up; never keys or errors, which are the operator's).
  r.get('/workspaces/:id/federation/shares', async (req, res) => {
    const { account } = requireAuth(req);
    await loadWorkspace(ctx.db, req.params.id, account, 'manage');
    const shares = await shareStore.byWorkspace(ctx.db, req.params.id);
    const links = (await federationStore.links(ctx.db)).map((l) => ({ name: l.name, teams: l.teams, state: l.state, up: ctx.federation?.isUp(l.name) ?? false }));
    res.json({ shares: await Promise.all(shares.map((s) => shareView(ctx.db, s))), links });
  });

  r.post('/workspaces/:id/federation/offers', async (req, res) => {
    const { account } = requireAuth(req);
    await loadWorkspace(ctx.db, req.params.id, account, 'manage');
    const { link, role } = parse(offerBody, req.body);
    const share = await federationCall(() => offerWorkspace(ctx.db, ctx.federation, { workspaceId: req.params.id, link, role, actorId: account.id }));
    res.status(201).json(await shareView(ctx.db, share));
  });

  // Either side ends a share. At the home its owners decide; a replica has no owner here (the peer's
  // members have at most the offer's role), so the admins of a team it is shared with decide for it.
  r.post('/workspaces/:id/federation/withdraw', async (req, res) => {
    const { account } = requireAuth(req);
    const replica = (await shareStore.byWorkspace(ctx.db, req.params.id)).find((s) => s.home === 'peer' && s.state === 'active');
    if (replica) {
      const a = await authorityOf(ctx.db, account);
      if (!a.siteAdmin && !replica.peerTeams.some((t) => a.adminTeamIds.includes(t))) {
        // Members learn why; anyone else gets the same 404 as for a workspace that does not exist.
        await loadWorkspace(ctx.db, req.params.id, account, 'read');
        throw forbidden('only the admins of a team this workspace is shared with may withdraw it here');
      }
    } else await loadWorkspace(ctx.db, req.params.id, account, 'manage');
    const { link } = parse(withdrawBody, req.body);
    const share = await federationCall(() => withdrawShare(ctx, ctx.db, { workspaceId: req.params.id, link, actorId: account.id }));
    res.json(await shareView(ctx.db, share));
  });

  // Team admins: offers from other instances waiting for one of their teams, with the accounts of
  // those teams they may choose as members. A site admin sees every offer.
  const offersFor = async (account: Account) => {
    const a = await authorityOf(ctx.db, account);
    if (!a.siteAdmin && !a.adminTeamIds.length) throw forbidden('only team admins may see and accept workspaces offered by other instances');
    const waiting = (await shareStore.list(ctx.db)).filter((s) => s.home === 'peer' && s.state === 'offered');
    const mine = (s: Share) => (a.siteAdmin ? s.peerTeams : s.peerTeams.filter((t) => a.adminTeamIds.includes(t)));
    return { authority: a, offers: waiting.filter((s) => mine(s).length > 0), mine };
  };

  r.get('/federation/offers', async (req, res) => {
    const { account } = requireAuth(req);
    const { offers, mine } = await offersFor(account);
    const views = await Promise.all(
      offers.map(async (s) => {
        const teams = mine(s);
        const candidates = await ctx.db.all<{ username: string; displayName: string; teamCode: string }>(
          `SELECT a.username, a.display_name AS "displayName", t.code AS "teamCode" FROM accounts a JOIN teams t ON t.id = a.team_id
           WHERE a.home_link IS NULL AND a.team_id IN (${teams.map(() => '?').join(', ')}) ORDER BY a.username`,
          teams,
        );
        return { ...(await shareView(ctx.db, s)), teams: await teamCodes(ctx.db, teams), candidates };
      }),
    );
    res.json({ offers: views });
  });

  r.post('/federation/offers/:offerId/accept', async (req, res) => {
    const { account } = requireAuth(req);
    const { offers, authority, mine } = await offersFor(account);
    const offerId = parse(z.string().min(1).max(64), req.params.offerId, 'offerId');
    const share = offers.find((s) => s.offerId === offerId);
    if (!share) {
      const exists = await shareStore.byOffer(ctx.db, offerId);
      if (exists && exists.home === 'peer' && exists.state === 'offered') throw forbidden('this offer is not for a team you administer');
      throw new AppError('not_found', exists ? `offer ${offerId} is ${exists.state === 'active' ? 'already accepted' : 'no longer open'}` : `no offer ${offerId} here`);
    }
    const { members } = parse(acceptBody, req.body);
    // A team admin accepts for their own team (the first of theirs the offer is for); a site admin who
    // administers none of them accepts as the operator would, for every team the offer is for.
    const teams = mine(share).filter((t) => authority.adminTeamIds.includes(t));
    const accepted = await federationCall(() => acceptOffer(ctx.db, ctx.federation, { offerId, link: share.link, members, actorId: account.id, byTeamId: teams[0] }));
    res.json({ ...(await shareView(ctx.db, accepted)), members: accepted.members });
  });

  return r;
}

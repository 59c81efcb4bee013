/**
 * Shared workspaces (docs/federation.md section 1, issue 20 item 3): an owner's instance offers a
 * workspace over a link, the peer's team admin accepts it, and from then the peer holds a replica
 * workspace with the same id whose members are the peer's own accounts.
 *
 *   home                                  peer
 *   offerWorkspace  -- share.offer -->     offer stored (state offered)
 *                                         acceptOffer: replica workspace, local members
 *   share active   <-- share.accepted --   share active
 *   (onShareActive hooks: the baseline)
 *
 * Members and roles of the replica are the peer's decision, capped at the role the offer allows; the
 * home records the peer's members as remote accounts with that role, so commands they send to the home
 * are authorized there as a local member's would be.
 */
import * as z from 'zod';
import type { Role } from '@huntroom/shared';
import type { Db } from '../storage/db.js';
import { auditStore } from '../audit/store.js';
import { newId, nowIso } from '../util.js';
import { describeLocalUser, ensureRemoteAccount, remoteUserSchema, type RemoteUser } from './accounts.js';
import { FederationError } from './links.js';
import { FederationRefusal, writeToOutbox, type FederationBus } from './channel.js';
import { federationStore } from './store.js';
import { linkTeamIds, teamHome } from './teams.js';
import { docStore } from '../collab/store.js';

export type ShareRole = 'hunter' | 'observer';
export type ShareState = 'offered' | 'active' | 'withdrawn';

export interface Share {
  offerId: string;
  workspaceId: string;
  link: string;
  /** Which side the workspace's home is, seen from this instance. */
  home: 'here' | 'peer';
  /** The highest role the peer's members may have. */
  role: ShareRole;
  state: ShareState;
  workspaceName: string;
  /** The peer's teams it is shared with (their ids), as the home's link named them when offering. */
  peerTeams: string[];
  createdAt: string;
  acceptedAt: string | null;
}

interface ShareRow {
  offer_id: string;
  workspace_id: string;
  link: string;
  home: 'here' | 'peer';
  role: ShareRole;
  state: ShareState;
  workspace_name: string;
  peer_teams: string;
  offer_detail: string;
  created_at: string;
  accepted_at: string | null;
}

const toShare = (r: ShareRow): Share => ({
  offerId: r.offer_id,
  workspaceId: r.workspace_id,
  link: r.link,
  home: r.home,
  role: r.role,
  state: r.state,
  workspaceName: r.workspace_name,
  peerTeams: JSON.parse(r.peer_teams) as string[],
  createdAt: r.created_at,
  acceptedAt: r.accepted_at,
});

export const shareStore = {
  async list(db: Db): Promise<Share[]> {
    return (await db.all<ShareRow>('SELECT * FROM federation_shares ORDER BY created_at')).map(toShare);
  },
  async byOffer(db: Db, offerId: string): Promise<Share | undefined> {
    const r = await db.get<ShareRow>('SELECT * FROM federation_shares WHERE offer_id = ?', [offerId]);
    return r && toShare(r);
  },
  async byWorkspace(db: Db, workspaceId: string): Promise<Share[]> {
    return (await db.all<ShareRow>('SELECT * FROM federation_shares WHERE workspace_id = ? ORDER BY link', [workspaceId])).map(toShare);
  },
};

/** The active shares of a workspace: over which links it is shared and which side is its home. */
export async function sharesOf(db: Db, workspaceId: string): Promise<Share[]> {
  return (await shareStore.byWorkspace(db, workspaceId)).filter((s) => s.state === 'active');
}

type ShareHook = (tx: Db, share: Share) => Promise<void>;
const activeHooks: ShareHook[] = [];

/**
 * Runs at the workspace's HOME, in the transaction that makes a share active (the peer accepted): the
 * place to send the peer its baseline. Registered once per process (features.ts).
 */
export function onShareActive(hook: ShareHook): void {
  activeHooks.push(hook);
}

const shareRoleSchema = z.enum(['hunter', 'observer']);

const offerMessage = z.object({
  offerId: z.string().min(8).max(64),
  role: shareRoleSchema,
  workspace: z.object({
    id: z.string().min(8).max(64),
    name: z.string().min(1).max(200),
    description: z.string().max(5000),
    defaultTlp: z.string().max(20),
    createdAt: z.string().max(40),
  }),
  owner: remoteUserSchema,
  peerTeams: z.array(z.string().min(8).max(64)).max(50),
});

type OfferMessage = z.infer<typeof offerMessage>;

const acceptedMessage = z.object({
  offerId: z.string().min(8).max(64),
  members: z.array(remoteUserSchema.extend({ role: shareRoleSchema })).max(5000),
});

const need = (v: string | undefined, what: string): string => {
  if (!v) throw new FederationError(`--${what} is required`);
  return v;
};

/**
 * Offers `workspaceId` over `linkName` (the operator's CLI, or a workspace owner in the admin screen).
 * Only a workspace homed here can be offered, once per link. Returns the share; its offer id is what the
 * peer's operator accepts.
 */
export async function offerWorkspace(
  db: Db,
  bus: FederationBus | undefined,
  input: { workspaceId?: string; link?: string; role?: string; actorId?: string | null },
): Promise<Share> {
  const workspaceId = need(input.workspaceId, 'workspace');
  const linkName = need(input.link, 'link');
  const role = shareRoleSchema.safeParse(input.role ?? 'hunter');
  if (!role.success) throw new FederationError('--role: hunter or observer (the highest role the peer may give its members)');
  const link = await federationStore.link(db, linkName);
  if (!link) throw new FederationError(`--link: no link named ${linkName} (see: federation link list)`);
  const share = await db.transaction(async (tx) => {
    const ws = await tx.get<{ id: string; name: string; description: string; default_tlp: string; created_by: string; created_at: string }>(
      'SELECT id, name, description, default_tlp, created_by, created_at FROM workspaces WHERE id = ?',
      [workspaceId],
    );
    if (!ws) throw new FederationError(`--workspace: no workspace ${workspaceId} (see: workspace list)`);
    // A withdrawn share is history: the workspace may be offered over that link again (withdraw.ts).
    await tx.run("DELETE FROM federation_shares WHERE workspace_id = ? AND link = ? AND state = 'withdrawn' AND home = 'here'", [workspaceId, link.name]);
    const existing = (await shareStore.byWorkspace(tx, workspaceId)).filter((s) => s.state !== 'withdrawn');
    if (existing.some((s) => s.home === 'peer')) throw new FederationError(`workspace ${workspaceId} is a replica of another instance's; only its home can offer it`);
    const prior = existing.find((s) => s.link === link.name);
    if (prior) throw new FederationError(`workspace ${workspaceId} is already ${prior.state === 'active' ? 'shared with' : 'offered to'} ${link.name} (offer ${prior.offerId})`);
    const peerTeams = await linkTeamIds(tx, link.name);
    if (!peerTeams.length) throw new FederationError(`the link to ${link.name} has not been up yet, so its teams are not known here; offer once it has connected`);
    const offerId = newId();
    const body: OfferMessage = {
      offerId,
      role: role.data,
      workspace: { id: ws.id, name: ws.name, description: ws.description, defaultTlp: ws.default_tlp, createdAt: ws.created_at },
      owner: await describeLocalUser(tx, ws.created_by),
      peerTeams,
    };
    await insertShare(tx, { offerId, workspaceId, link: link.name, home: 'here', role: role.data, workspaceName: ws.name, peerTeams, detail: body });
    await writeToOutbox(tx, link.name, 'share.offer', body);
    await auditStore.write(tx, { workspaceId, actorId: input.actorId ?? null, action: 'federation.offered', detail: { link: link.name, offerId, role: role.data } });
    return (await shareStore.byOffer(tx, offerId))!;
  });
  bus?.flush(link.name);
  return share;
}

/** One share row, on either side (the home when offering, the peer when the offer arrives). */
async function insertShare(
  tx: Db,
  r: { offerId: string; workspaceId: string; link: string; home: 'here' | 'peer'; role: ShareRole; workspaceName: string; peerTeams: string[]; detail: OfferMessage },
): Promise<void> {
  await tx.run(
    'INSERT INTO federation_shares (offer_id, workspace_id, link, home, role, state, workspace_name, peer_teams, offer_detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [r.offerId, r.workspaceId, r.link, r.home, r.role, 'offered', r.workspaceName, JSON.stringify(r.peerTeams), JSON.stringify(r.detail), nowIso()],
  );
}

/**
 * Accepts an offer that came over `link` (the peer's operator with the CLI, or a team admin in the admin
 * screen): makes the replica workspace and its members, and tells the home. `members` are usernames of
 * this instance; by default every account of the teams the offer is for.
 */
export async function acceptOffer(
  db: Db,
  bus: FederationBus | undefined,
  input: { offerId?: string; link?: string; members?: string[] | undefined; actorId?: string | null; byTeamId?: string | undefined },
): Promise<Share & { members: string[] }> {
  const offerId = need(input.offerId, 'offer');
  const linkName = need(input.link, 'link');
  const result = await db.transaction(async (tx) => {
    const share = await shareStore.byOffer(tx, offerId);
    if (!share || share.link !== linkName || share.home !== 'peer') throw new FederationError(`no offer ${offerId} from ${linkName} here (see: federation shares)`);
    if (share.state !== 'offered') throw new FederationError(`offer ${offerId} is ${share.state === 'active' ? 'already accepted' : 'withdrawn'}`);
    // A team admin accepts for their own team only; the operator for every team the offer is for.
    const teams = input.byTeamId ? share.peerTeams.filter((t) => t === input.byTeamId) : share.peerTeams;
    if (!teams.length) throw new FederationError('this offer is not for your team');
    const candidates = await tx.all<{ id: string; username: string; team_id: string }>(
      `SELECT id, username, team_id FROM accounts WHERE home_link IS NULL AND team_id IN (${teams.map(() => '?').join(', ')}) ORDER BY username`,
      teams,
    );
    let chosen = candidates;
    if (input.members) {
      const wanted = input.members.map((m) => m.trim().toLowerCase()).filter(Boolean);
      const unknown = wanted.filter((w) => !candidates.some((c) => c.username === w));
      if (unknown.length) throw new FederationError(`--members: ${unknown.join(', ')} ${unknown.length === 1 ? 'is not a user' : 'are not users'} of the teams this offer is for`);
      chosen = candidates.filter((c) => wanted.includes(c.username));
    }
    if (!chosen.length) throw new FederationError('nobody to add: the teams this offer is for have no users here');
    const row = await tx.get<{ offer_detail: string }>('SELECT offer_detail FROM federation_shares WHERE offer_id = ?', [offerId]);
    const o = JSON.parse(row!.offer_detail) as OfferMessage;
    if (await tx.get('SELECT id FROM workspaces WHERE id = ?', [share.workspaceId])) throw new FederationError(`a workspace with id ${share.workspaceId} already exists here`);
    const at = nowIso();
    await tx.run('INSERT INTO workspaces (id, name, description, default_tlp, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
      share.workspaceId,
      o.workspace.name,
      o.workspace.description,
      o.workspace.defaultTlp,
      o.owner.id,
      o.workspace.createdAt,
    ]);
    const members: (RemoteUser & { role: ShareRole })[] = [];
    for (const c of chosen) {
      await tx.run('INSERT INTO members (workspace_id, account_id, role, added_at) VALUES (?, ?, ?, ?)', [share.workspaceId, c.id, share.role, at]);
      members.push({ ...(await describeLocalUser(tx, c.id)), role: share.role });
    }
    await tx.run('UPDATE federation_shares SET state = ?, accepted_at = ?, accepted_by = ? WHERE offer_id = ?', ['active', at, input.actorId ?? 'operator', offerId]);
    const body: z.infer<typeof acceptedMessage> = { offerId, members };
    await writeToOutbox(tx, linkName, 'share.accepted', body);
    await auditStore.write(tx, {
      workspaceId: share.workspaceId,
      actorId: input.actorId ?? null,
      action: 'federation.accepted',
      detail: { link: linkName, offerId, members: chosen.map((c) => c.username) },
    });
    return { ...share, state: 'active' as const, acceptedAt: at, members: chosen.map((c) => c.username) };
  });
  bus?.flush(linkName);
  return result;
}

const roleRank: Record<Role, number> = { owner: 3, hunter: 2, observer: 1, guest: 0 };
/** The lower of two roles (a peer may not give its members more than the offer allows). */
export const cappedRole = (asked: ShareRole, allowed: ShareRole): ShareRole => (roleRank[asked] <= roleRank[allowed] ? asked : allowed);

/** Registers the share messages on the bus (features.ts), and what a dropped outbox means for shares. */
export function registerShares(bus: FederationBus): void {
  // Past the retention limit a link's outbox is dropped (channel.ts): every share active over it gets a
  // fresh baseline, as a new share does; the replica drops what that baseline does not refresh.
  bus.onOutboxDropped(async (tx, linkName) => {
    for (const share of await shareStore.list(tx)) if (share.link === linkName && share.state === 'active') for (const hook of activeHooks) await hook(tx, share);
  });
  // An update of a document homed here is repaired by the baseline's whole state. An edit made here to
  // one of the peer's documents has no other way there: it stays.
  bus.dropOnRetention('doc.update', async (tx, head) => {
    const docId = /^\{"docId":"([^"]{1,64})"/.exec(head)?.[1];
    if (!docId) return true;
    const meta = await docStore.meta(tx, docId);
    return meta ? (await teamHome(tx, meta.ownerTeamId)) !== undefined : false;
  });
  // At the peer: an offer arrives.
  bus.onMessage('share.offer', async (tx, link, raw) => {
    const m = offerMessage.safeParse(raw);
    if (!m.success) throw new FederationRefusal(`share.offer: ${m.error.issues[0]?.message ?? 'invalid'}`);
    const { offerId, workspace, owner, role, peerTeams } = m.data;
    if (await tx.get('SELECT id FROM workspaces WHERE id = ?', [workspace.id]))
      throw new FederationRefusal(`${link.name} offered workspace ${workspace.id}, whose id is taken here`);
    if (await shareStore.byOffer(tx, offerId)) throw new FederationRefusal(`${link.name} sent offer ${offerId} twice`);
    // Offered again after a withdrawal: the old share is history (its replica was dropped with it).
    await tx.run("DELETE FROM federation_shares WHERE workspace_id = ? AND link = ? AND state = 'withdrawn' AND home = 'peer'", [workspace.id, link.name]);
    if ((await shareStore.byWorkspace(tx, workspace.id)).length) throw new FederationRefusal(`${link.name} offered workspace ${workspace.id} again`);
    // The teams it is offered to must be this instance's own: the home learned them from us.
    for (const t of peerTeams) {
      const team = await tx.get<{ home_link: string | null }>('SELECT home_link FROM teams WHERE id = ?', [t]);
      if (!team || team.home_link !== null) throw new FederationRefusal(`${link.name} offered a workspace to a team that is not one of this instance's`);
    }
    await ensureRemoteAccount(tx, link, owner);
    await insertShare(tx, { offerId, workspaceId: workspace.id, link: link.name, home: 'peer', role, workspaceName: workspace.name, peerTeams, detail: m.data });
    await auditStore.write(tx, { workspaceId: null, actorId: null, action: 'federation.offer.received', detail: { link: link.name, offerId, workspace: workspace.name, role } });
  });

  // At the home: the peer accepted.
  bus.onMessage('share.accepted', async (tx, link, raw) => {
    const m = acceptedMessage.safeParse(raw);
    if (!m.success) throw new FederationRefusal(`share.accepted: ${m.error.issues[0]?.message ?? 'invalid'}`);
    const share = await shareStore.byOffer(tx, m.data.offerId);
    if (!share || share.link !== link.name || share.home !== 'here') throw new FederationRefusal(`${link.name} accepted offer ${m.data.offerId}, which was not made to it`);
    if (share.state !== 'offered') throw new FederationRefusal(`${link.name} accepted offer ${m.data.offerId}, which is ${share.state}`);
    const at = nowIso();
    for (const member of m.data.members) {
      if (!share.peerTeams.includes(member.teamId)) throw new FederationRefusal(`${link.name} added a member of a team the workspace is not shared with`);
      await ensureRemoteAccount(tx, link, member);
      if (!(await tx.get('SELECT account_id FROM members WHERE workspace_id = ? AND account_id = ?', [share.workspaceId, member.id])))
        await tx.run('INSERT INTO members (workspace_id, account_id, role, added_at) VALUES (?, ?, ?, ?)', [share.workspaceId, member.id, cappedRole(member.role, share.role), at]);
    }
    await tx.run('UPDATE federation_shares SET state = ?, accepted_at = ?, accepted_by = ? WHERE offer_id = ?', ['active', at, link.name, share.offerId]);
    await auditStore.write(tx, {
      workspaceId: share.workspaceId,
      actorId: null,
      action: 'federation.share.active',
      detail: { link: link.name, offerId: share.offerId, members: m.data.members.length },
    });
    const active = { ...share, state: 'active' as const, acceptedAt: at };
    for (const hook of activeHooks) await hook(tx, active);
  });
}

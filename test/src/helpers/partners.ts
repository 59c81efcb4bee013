/**
 * Callers from outside a workspace's own members, made the way they really join, for the authz and
 * leak suites: an observer through an approved invite, a partner official (guest) through a live
 * handoff, and a script holding an API token.
 */
import { expect } from 'vitest';
import { addMember, approvedInvite, makeWorkspace } from './foundation.js';
import { ApiClient, loginAs } from './http.js';

/** An observer of `team` (olga) in workspace `ws`, through an invite `owner` makes (the team's admin approves). */
export async function observerOf(owner: ApiClient, ws: string, team: string): Promise<ApiClient> {
  const invite = await approvedInvite(owner, ws, { role: 'observer', team, expiresInHours: 1 });
  const api = new ApiClient(owner.baseUrl);
  expect((await api.post(`/api/invites/${invite.token}/accept`, { username: 'olga', password: 'observer-password-1', displayName: 'Olga' })).status).toBe(201);
  return api;
}

/** A partner official of LV (inga) in a live handoff `owner` presents in `ws`; `lvAdmin`, LV's admin, approves the link. */
export async function handoffGuest(owner: ApiClient, ws: string, lvAdmin: ApiClient): Promise<ApiClient> {
  const started = await owner.post(`/api/workspaces/${ws}/handoffs`, { recipient: 'LV', expiresInHours: 4 });
  expect(started.status).toBe(201);
  const invites = (await owner.get(`/api/workspaces/${ws}/invites`)).body.invites as { id: string; handoffId: string | null }[];
  const link = invites.find((i) => i.handoffId === started.body.session.id)!;
  expect((await lvAdmin.post(`/api/invite-requests/${link.id}`, { decision: 'approve' })).status).toBe(200);
  const guest = new ApiClient(owner.baseUrl);
  const token = (started.body.inviteUrl as string).split('/invite/')[1]!;
  const joined = await guest.post(`/api/invites/${token}/accept`, { username: 'inga', password: 'guest-password-1', displayName: 'Inga' });
  expect(joined.body.member?.role).toBe('guest');
  return guest;
}

/** A client that holds only an API token `api`'s account makes (named `name`), no cookie. */
export async function tokenClient(api: ApiClient, name: string): Promise<ApiClient> {
  const made = await api.post('/api/tokens', { name });
  expect(made.status).toBe(201);
  const client = new ApiClient(api.baseUrl);
  client.bearer = made.body.token as string;
  return client;
}

/**
 * The callers an authz suite tries, on the node at `baseUrl`, around a fresh workspace `ws`: alice (US,
 * owner), ben (CA, hunter), liga (LV, not a member), olga (LV observer) and inga (LV guest of a live
 * handoff alice presents).
 */
export async function authzCallers(baseUrl: string): Promise<{ ws: string; alice: ApiClient; ben: ApiClient; liga: ApiClient; olga: ApiClient; inga: ApiClient }> {
  const alice = await loginAs(baseUrl, 'alice');
  const ben = await loginAs(baseUrl, 'ben');
  const liga = await loginAs(baseUrl, 'liga');
  const ws = await makeWorkspace(alice);
  await addMember(alice, ws, 'ben', 'hunter');
  const olga = await observerOf(alice, ws, 'LV');
  const inga = await handoffGuest(alice, ws, liga);
  return { ws, alice, ben, liga, olga, inga };
}

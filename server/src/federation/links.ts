/**
 * What an operator may do with federation links, and the rules each action checks (docs/federation.md
 * sections 2 and 9). Used by the CLI today and by the admin screen later, so both refuse the same things
 * with the same sentences. Every change is in the audit trail.
 */
import * as z from 'zod';
import { teamCodeSchema } from '@huntroom/shared';
import type { Db } from '../storage/db.js';
import { teamStore } from '../teams/store.js';
import { auditStore } from '../audit/store.js';
import { BadKey, generateKeyPair, normalizePublicKey } from './keys.js';
import { federationStore, type Identity, type Link, type LinkState } from './store.js';

export class FederationError extends Error {}

/** Who made a change, for the audit trail: the CLI (no account) or an account in the admin screen. */
export interface ChangedBy {
  actorId?: string | null;
  teamId?: string | null;
  via?: 'cli' | 'admin screen';
}
const audited = (by: ChangedBy) => ({ actorId: by.actorId ?? null, ...(by.teamId ? { teamId: by.teamId } : {}) });

/** Instance and link names: what people say and type (`us-cert`), and what appears after `@` in `ben@lv-cert`. */
export const instanceNameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$/, 'use 2-40 lowercase letters, digits and -, e.g. lv-cert');

/** A peer's base URL: http(s), no credentials, query or fragment (they would end up in logs and requests). */
export const peerUrlSchema = z
  .string()
  .trim()
  .url('must be a URL like https://huntroom.example.org')
  .refine((u) => /^https?:$/.test(new URL(u).protocol), 'must start with https:// (or http:// on a closed lab network)')
  .refine((u) => {
    const url = new URL(u);
    return !url.username && !url.password && !url.search && !url.hash;
  }, 'must have no user name, password, query or fragment')
  .transform((u) => u.replace(/\/+$/, ''));

const teamsSchema = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean),
  )
  .pipe(z.array(teamCodeSchema).min(1, 'name at least one team code the peer speaks for, e.g. LV').max(50));

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  if (value === undefined || value === '') throw new FederationError(`--${what} is required`);
  const r = schema.safeParse(value);
  if (!r.success) throw new FederationError(`--${what}: ${r.error.issues[0]?.message ?? 'invalid'}`);
  return r.data;
}

/**
 * This instance's identity, made on first use. Its name and URL come from the operator or PUBLIC_URL;
 * once made they stay (a peer's link names them), so a later different --name is refused, not applied.
 */
export async function ensureIdentity(db: Db, wanted: { name?: string | undefined; url?: string | undefined; publicUrl?: string | undefined }): Promise<Identity> {
  const existing = await federationStore.identity(db);
  if (existing) {
    if (wanted.name !== undefined && parse(instanceNameSchema, wanted.name, 'name') !== existing.name) {
      throw new FederationError(`this instance is already named ${existing.name}; peers' links name it so, and it is not renamed`);
    }
    return existing;
  }
  const url = wanted.url ?? wanted.publicUrl;
  if (url === undefined) throw new FederationError('say --url (this instance as peers reach it) or set PUBLIC_URL');
  const baseUrl = parse(peerUrlSchema, url, 'url');
  const name = parse(instanceNameSchema, wanted.name ?? new URL(baseUrl).hostname.split('.')[0], 'name');
  const keys = generateKeyPair();
  const identity = { name, url: baseUrl, publicKey: keys.publicKey, privateKeyPem: keys.privateKeyPem };
  await db.transaction(async (tx) => {
    await federationStore.saveIdentity(tx, identity);
    await auditStore.write(tx, { actorId: null, action: 'federation.identity.created', detail: { name, url: baseUrl, publicKey: keys.publicKey, via: 'cli' } });
  });
  return identity;
}

/**
 * Gives this instance a new key pair: its old private key was exposed, or has simply aged. The old key
 * stops proving this instance at once: the running server closes every live link session within a
 * poll (LinkManager) and its handshakes sign with the new key, which each peer refuses until its
 * operator installs it (`federation link rotate --name <this instance> --key <new key>`). So the
 * links stay down between the two steps; that is the point (a thief holding the old key is shut out
 * as soon as the peers rotate), and `federation link list` on each side says why.
 */
export async function rotateIdentityKey(db: Db, by: ChangedBy = {}): Promise<Identity> {
  const existing = await federationStore.identity(db);
  if (!existing) throw new FederationError('this instance has no identity yet; make one first: federation identity --url <this instance as peers reach it>');
  const keys = generateKeyPair();
  await db.transaction(async (tx) => {
    await federationStore.setIdentityKey(tx, keys);
    await auditStore.write(tx, {
      ...audited(by),
      action: 'federation.identity.rotated',
      detail: { name: existing.name, from: existing.publicKey, to: keys.publicKey, via: by.via ?? 'cli' },
    });
  });
  return { ...existing, publicKey: keys.publicKey, privateKeyPem: keys.privateKeyPem };
}

function peerKey(text: unknown, identity: Identity | undefined): string {
  let key: string;
  try {
    key = normalizePublicKey(parse(z.string(), text, 'key'));
  } catch (err) {
    if (err instanceof BadKey) throw new FederationError(`--key: ${err.message}`);
    throw err;
  }
  if (identity && key === identity.publicKey) throw new FederationError("--key: that is this instance's own key; install the peer's (it prints it with: federation identity)");
  return key;
}

async function mustLink(db: Db, name: unknown): Promise<Link> {
  const n = parse(instanceNameSchema, name, 'name');
  const link = await federationStore.link(db, n);
  if (!link) throw new FederationError(`no link named ${n} (see: federation link list)`);
  return link;
}

export interface AddLinkInput {
  name: unknown;
  url: unknown;
  teams: unknown;
  key: unknown;
}

/** Adds a link. Refused: a name in use, this instance's own name or key, a team code that is a local team here or another link's. */
export async function addLink(db: Db, input: AddLinkInput, by: ChangedBy = {}): Promise<Link> {
  const name = parse(instanceNameSchema, input.name, 'name');
  const url = parse(peerUrlSchema, input.url, 'url');
  const teams = [...new Set(parse(teamsSchema, input.teams, 'teams'))];
  const identity = await federationStore.identity(db);
  const publicKey = peerKey(input.key, identity);
  if (identity?.name === name) throw new FederationError(`--name: ${name} is this instance's own name`);
  if (await federationStore.link(db, name)) throw new FederationError(`a link named ${name} exists already (remove it first, or rotate its key)`);
  for (const code of teams) {
    // A peer speaking for a team that exists here could act as that local team's members: never.
    if (await teamStore.byCode(db, code)) throw new FederationError(`--teams: ${code} is a team of this instance; a peer can only speak for its own teams`);
  }
  for (const other of await federationStore.links(db)) {
    const shared = teams.filter((c) => other.teams.includes(c));
    if (shared.length) throw new FederationError(`--teams: ${shared.join(', ')} already spoken for by the link ${other.name}`);
    if (other.publicKey === publicKey) throw new FederationError(`--key: the link ${other.name} has that key already`);
  }
  await db.transaction(async (tx) => {
    await federationStore.addLink(tx, { name, url, publicKey, teams });
    await auditStore.write(tx, { ...audited(by), action: 'federation.link.added', detail: { name, url, teams, publicKey, via: by.via ?? 'cli' } });
  });
  return (await federationStore.link(db, name))!;
}

export async function setLinkState(db: Db, name: unknown, state: LinkState, by: ChangedBy = {}): Promise<{ link: Link; changed: boolean }> {
  const link = await mustLink(db, name);
  if (link.state === state) return { link, changed: false };
  await db.transaction(async (tx) => {
    await federationStore.setState(tx, link.name, state);
    await auditStore.write(tx, {
      ...audited(by),
      action: state === 'active' ? 'federation.link.resumed' : 'federation.link.suspended',
      detail: { name: link.name, via: by.via ?? 'cli' },
    });
  });
  return { link: { ...link, state }, changed: true };
}

/** Installs the peer's new key (after the peer rotated its identity); the old key stops working at once. */
export async function rotateLinkKey(db: Db, name: unknown, key: unknown, by: ChangedBy = {}): Promise<Link> {
  const link = await mustLink(db, name);
  const publicKey = peerKey(key, await federationStore.identity(db));
  if (publicKey === link.publicKey) throw new FederationError(`--key: the link ${link.name} has that key already`);
  await db.transaction(async (tx) => {
    await federationStore.setKey(tx, link.name, publicKey);
    await auditStore.write(tx, { ...audited(by), action: 'federation.link.rotated', detail: { name: link.name, from: link.publicKey, to: publicKey, via: by.via ?? 'cli' } });
  });
  return { ...link, publicKey };
}

export async function removeLink(db: Db, name: unknown, by: ChangedBy = {}): Promise<Link> {
  const link = await mustLink(db, name);
  await db.transaction(async (tx) => {
    await federationStore.removeLink(tx, link.name);
    await auditStore.write(tx, { ...audited(by), action: 'federation.link.removed', detail: { name: link.name, via: by.via ?? 'cli' } });
  });
  return link;
}

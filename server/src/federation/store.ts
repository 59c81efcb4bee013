/**
 * Federation tables (migration 16): this instance's identity and its links. Plain rows, no logic: the
 * rules (who may be linked, with which teams) are in links.ts.
 */
import type { Db } from '../storage/db.js';
import { nowIso } from '../util.js';

export interface Identity {
  name: string;
  url: string;
  publicKey: string;
  privateKeyPem: string;
}

export type LinkState = 'active' | 'suspended';

export interface Link {
  name: string;
  url: string;
  publicKey: string;
  teams: string[];
  state: LinkState;
  createdAt: string;
  updatedAt: string;
  /** Written by the running server's LinkManager: the last handshake that succeeded, and the last failure since. */
  lastConnectedAt: string | null;
  lastError: string | null;
}

interface LinkRow {
  name: string;
  url: string;
  public_key: string;
  teams: string;
  state: LinkState;
  created_at: string;
  updated_at: string;
  last_connected_at: string | null;
  last_error: string | null;
}

const toLink = (r: LinkRow): Link => ({
  name: r.name,
  url: r.url,
  publicKey: r.public_key,
  teams: JSON.parse(r.teams) as string[],
  state: r.state,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  lastConnectedAt: r.last_connected_at,
  lastError: r.last_error,
});

export const federationStore = {
  async identity(db: Db): Promise<Identity | undefined> {
    const r = await db.get<{ name: string; url: string; public_key: string; private_key: string }>(
      'SELECT name, url, public_key, private_key FROM federation_identity WHERE id = 1',
    );
    return r && { name: r.name, url: r.url, publicKey: r.public_key, privateKeyPem: r.private_key };
  },

  async saveIdentity(db: Db, i: Identity): Promise<void> {
    await db.run('INSERT INTO federation_identity (id, name, url, public_key, private_key, created_at) VALUES (1, ?, ?, ?, ?, ?)', [
      i.name,
      i.url,
      i.publicKey,
      i.privateKeyPem,
      nowIso(),
    ]);
  },

  /** A new key pair for this instance (federation identity rotate); the name and URL stay. */
  async setIdentityKey(db: Db, keys: { publicKey: string; privateKeyPem: string }): Promise<void> {
    await db.run('UPDATE federation_identity SET public_key = ?, private_key = ? WHERE id = 1', [keys.publicKey, keys.privateKeyPem]);
  },

  async links(db: Db): Promise<Link[]> {
    return (await db.all<LinkRow>('SELECT * FROM federation_links ORDER BY name')).map(toLink);
  },

  async link(db: Db, name: string): Promise<Link | undefined> {
    const r = await db.get<LinkRow>('SELECT * FROM federation_links WHERE name = ?', [name]);
    return r && toLink(r);
  },

  async addLink(db: Db, l: Pick<Link, 'name' | 'url' | 'publicKey' | 'teams'>): Promise<void> {
    const at = nowIso();
    await db.run('INSERT INTO federation_links (name, url, public_key, teams, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      l.name,
      l.url,
      l.publicKey,
      JSON.stringify(l.teams),
      'active',
      at,
      at,
    ]);
  },

  async setState(db: Db, name: string, state: LinkState): Promise<void> {
    await db.run('UPDATE federation_links SET state = ?, updated_at = ? WHERE name = ?', [state, nowIso(), name]);
  },

  async setKey(db: Db, name: string, publicKey: string): Promise<void> {
    await db.run('UPDATE federation_links SET public_key = ?, updated_at = ? WHERE name = ?', [publicKey, nowIso(), name]);
  },

  /** The link and what waits to cross it (call in a transaction); its foreign teams and remote accounts stay (authorship, audit). */
  async removeLink(db: Db, name: string): Promise<void> {
    await db.run('DELETE FROM federation_outbox WHERE link = ?', [name]);
    await db.run('DELETE FROM federation_links WHERE name = ?', [name]);
  },
};

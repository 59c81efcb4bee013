/** Who the workspace's home vouches for as an owner when it sends a peer team's mark (outgoing.ts). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openKit, type Kit } from '../../records/testkit.js';
import { ownerVouch } from './outgoing.js';

describe('federation: an owner vouched for with a mark', () => {
  let kit: Kit;
  const share = (home: 'here' | 'peer', state = 'active') =>
    kit.db.run(
      `INSERT INTO federation_shares (offer_id, workspace_id, link, home, role, state, workspace_name, peer_teams, offer_detail, created_at)
       VALUES ('offer-1', ?, 'lv-cert', ?, 'hunter', ?, 'hunt', '[]', '{}', '2026-01-01T00:00:00Z')`,
      [kit.workspaceId, home, state],
    );

  beforeEach(async () => {
    kit = await openKit();
  });
  afterEach(() => kit.close());

  it('vouches for an owner at the workspace home, over an active share, and for nobody else', async () => {
    await share('here');
    expect(await ownerVouch(kit.db, kit.workspaceId, 'lv-cert', kit.accounts.alice.id)).toBe(true);
    // A hunter and an observer are members, not owners.
    expect(await ownerVouch(kit.db, kit.workspaceId, 'lv-cert', kit.accounts.ben.id)).toBe(false);
    expect(await ownerVouch(kit.db, kit.workspaceId, 'lv-cert', kit.accounts.olga.id)).toBe(false);
    // Another link, another workspace: no share, no word.
    expect(await ownerVouch(kit.db, kit.workspaceId, 'ee-cert', kit.accounts.alice.id)).toBe(false);
    expect(await ownerVouch(kit.db, 'another-workspace', 'lv-cert', kit.accounts.alice.id)).toBe(false);
  });

  it('never vouches at a replica (its owners are its own), nor over a share not active', async () => {
    await share('peer');
    expect(await ownerVouch(kit.db, kit.workspaceId, 'lv-cert', kit.accounts.alice.id)).toBe(false);
    await kit.db.run("UPDATE federation_shares SET home = 'here', state = 'withdrawn'");
    expect(await ownerVouch(kit.db, kit.workspaceId, 'lv-cert', kit.accounts.alice.id)).toBe(false);
  });
});

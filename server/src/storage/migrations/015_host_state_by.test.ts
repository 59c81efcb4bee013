/**
 * Migration 15 on SQLite and (with TEST_DATABASE_URL) PostgreSQL: state changes stored before it (no
 * display name) get the name of their account, in their order, and an account gone leaves ''.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { execute } from '../../records/command.js';
import { openKit, type Kit } from '../../records/testkit.js';
import { createNetwork } from '../../hunt/networks/commands.js';
import { createHost, updateHost } from '../../hunt/hosts/commands.js';
import { hostStateBy } from './015_host_state_by.js';

const backends = ['sqlite', ...(process.env.TEST_DATABASE_URL ? ['postgres' as const] : [])] as const;

describe.each(backends)('migration 15 (who made a host state change) on %s', (backend) => {
  let kit: Kit;
  beforeEach(async () => void (kit = await openKit(backend)));
  afterEach(() => kit.close());
  const ok = async (who: keyof Kit['accounts'], def: Parameters<typeof execute>[2], payload: Record<string, unknown>): Promise<any> => {
    const ack = await execute(kit.ctx, kit.accounts[who], def, { id: randomUUID(), payload: { workspaceId: kit.workspaceId, ...payload } });
    if (!ack.ok) throw new Error(JSON.stringify(ack.error));
    return ack.data;
  };

  it('fills in the display name of each stored change, in order', async () => {
    await kit.db.run('UPDATE accounts SET display_name = ? WHERE id = ?', ['Ben Tremblay', kit.accounts.ben.id]);
    const { network } = await ok('alice', createNetwork, { name: 'LAN' });
    const { host } = await ok('ben', createHost, { networkId: network.id, hostname: 'dc01' });
    await ok('ben', updateHost, { id: host.id, state: 'suspicious' });
    await ok('liga', updateHost, { id: host.id, state: 'compromised' });
    const untouched = await ok('alice', createHost, { networkId: network.id, hostname: 'ws01' });
    // As stored before migration 15: no name, and one change by an account that no longer exists.
    const row = await kit.db.get<{ state_history: string }>('SELECT state_history FROM hunt_hosts WHERE id = ?', [host.id]);
    const old = (JSON.parse(row!.state_history) as Record<string, unknown>[]).map(({ displayName: _drop, ...h }) => h);
    old.push({ ...old[2], accountId: 'gone', from: 'compromised', to: 'remediated' });
    await kit.db.run('UPDATE hunt_hosts SET state_history = ? WHERE id = ?', [JSON.stringify(old), host.id]);
    await kit.db.run("UPDATE hunt_hosts SET state_history = '[]' WHERE id = ?", [untouched.host.id]);

    for (const sql of hostStateBy.up({ blob: '', bigint: '', dialect: kit.db.dialect })) await kit.db.run(sql);

    const after = JSON.parse((await kit.db.get<{ state_history: string }>('SELECT state_history FROM hunt_hosts WHERE id = ?', [host.id]))!.state_history) as Record<
      string,
      unknown
    >[];
    expect(after.map((h) => [h.to, h.accountId, h.displayName])).toEqual([
      ['not-examined', kit.accounts.ben.id, 'Ben Tremblay'],
      ['suspicious', kit.accounts.ben.id, 'Ben Tremblay'],
      ['compromised', kit.accounts.liga.id, 'liga'],
      ['remediated', 'gone', ''],
    ]);
    expect(after.every((h) => typeof h.at === 'string' && typeof h.teamId === 'string')).toBe(true);
    const empty = await kit.db.get<{ state_history: string }>('SELECT state_history FROM hunt_hosts WHERE id = ?', [untouched.host.id]);
    expect(empty!.state_history).toBe('[]');
  });
});

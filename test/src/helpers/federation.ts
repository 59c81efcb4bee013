/**
 * Federation fixtures: real instances ("nations"), each with its own port, data directory and teams,
 * made the way operators make them (the CLI), and linked the way docs/federation.md section 9 says.
 * Nations start without the demo (their teams must differ: a link may not name a local team).
 */
import { PassThrough, Readable } from 'node:stream';
import { expect } from 'vitest';
import type { StartOptions } from '@huntroom/server';
import { startTestServer, type TestServer } from './server.js';
import { ApiClient } from './http.js';
import { eventually } from './foundation.js';

const { runCommand } = await import('../../../server/dist/cli/commands.js');

export const NATION_PASSWORD = 'federation-test-pass';
/** Link and channel timers for tests: a suspension or a new outbox row is seen in a tenth of a second. */
export const FAST_LINKS: Pick<StartOptions, 'federation' | 'federationChannel'> = {
  federation: { pollMs: 100, retryMinMs: 100, retryMaxMs: 400 },
  federationChannel: { outboxPollMs: 50 },
};

export interface Nation extends TestServer {
  /** Instance name, e.g. us-cert. */
  name: string;
  /** The instance's own team code, e.g. US. */
  team: string;
  publicKey: string;
}

/** Runs `npm run cli -- <argv>` against the node's database; returns what it printed. */
export async function cli(node: TestServer, ...argv: string[]): Promise<string> {
  return runCommand(node.ctx.db, argv, { stdin: Readable.from([]), stdout: new PassThrough() });
}

/**
 * Starts an instance named `name` whose own team is `team`, with `users` of that team (the first one a
 * team admin). Extra env and start options go to the server.
 */
export async function startNation(name: string, team: string, users: string[], env: Record<string, string> = {}, options: Omit<StartOptions, 'env'> = {}): Promise<Nation> {
  const node = await startTestServer({ HUNTROOM_DEMO: 'off', ...env }, { ...FAST_LINKS, ...options });
  await cli(node, 'team', 'add', '--code', team, '--name', `Team ${team}`);
  for (const username of users) {
    await runCommand(node.ctx.db, ['user', 'add', '--username', username, '--team', team, '--password-stdin'], {
      stdin: Readable.from([`${NATION_PASSWORD}\n`]),
      stdout: new PassThrough(),
    });
  }
  if (users[0]) await cli(node, 'team', 'admin', 'add', '--team', team, '--username', users[0]);
  const identity = JSON.parse(await cli(node, 'federation', 'identity', '--name', name, '--url', node.url)) as { publicKey: string };
  return Object.assign(node, { name, team, publicKey: identity.publicKey });
}

/** Logs `username` in on `nation`. */
export const loginOn = (nation: Nation, username: string): Promise<ApiClient> => new ApiClient(nation.url).login(username, NATION_PASSWORD);

/** The id of `code`'s team row on `node` (its own or a foreign one), or undefined. */
export async function teamIdOn(node: TestServer, code: string): Promise<string | undefined> {
  return (await node.ctx.db.get<{ id: string }>('SELECT id FROM teams WHERE code = ?', [code]))?.id;
}

/**
 * Both operators add the link (each naming the teams the other speaks for), then waits until the link is
 * up on both sides and each has recorded the other's teams with their home ids.
 */
export async function linkNations(a: Nation, b: Nation): Promise<void> {
  await cli(a, 'federation', 'link', 'add', '--name', b.name, '--url', b.url, '--teams', b.team, '--key', b.publicKey);
  await cli(b, 'federation', 'link', 'add', '--name', a.name, '--url', a.url, '--teams', a.team, '--key', a.publicKey);
  await eventually(async () => {
    expect(a.ctx.federation?.isUp(b.name)).toBe(true);
    expect(b.ctx.federation?.isUp(a.name)).toBe(true);
    expect(await teamIdOn(a, b.team)).toBe(await teamIdOn(b, b.team));
    expect(await teamIdOn(b, a.team)).toBe(await teamIdOn(a, a.team));
  }, 20_000);
}

interface ShareView {
  offerId: string;
  workspaceId: string;
  link: string;
  home: 'here' | 'peer';
  state: string;
  role: string;
}

/** The shares `node` knows of, as `federation shares --json` prints them. */
export const sharesOn = async (node: TestServer): Promise<ShareView[]> => JSON.parse(await cli(node, 'federation', 'shares', '--json')) as ShareView[];

/**
 * `home`'s operator offers `workspaceId` to `peer` (the CLI), `peer`'s operator accepts it (with
 * `members`, usernames of the peer; by default every user of the peer's team); waits until the share is
 * active on both sides. Returns the offer id.
 */
export async function shareWorkspace(home: Nation, peer: Nation, workspaceId: string, opts: { role?: 'hunter' | 'observer'; members?: string[] } = {}): Promise<string> {
  const offerId = (await cli(home, 'federation', 'offer', '--workspace', workspaceId, '--link', peer.name, '--role', opts.role ?? 'hunter')).trim();
  await eventually(async () => expect((await sharesOn(peer)).find((s) => s.offerId === offerId)?.state).toBe('offered'), 20_000);
  await cli(peer, 'federation', 'accept', '--offer', offerId, '--link', home.name, ...(opts.members ? ['--members', opts.members.join(',')] : []));
  await eventually(async () => expect((await sharesOn(home)).find((s) => s.offerId === offerId)?.state).toBe('active'), 20_000);
  return offerId;
}

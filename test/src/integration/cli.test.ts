/**
 * The operator CLI as a real process on a temp DATA_DIR: teams, users (password from stdin),
 * workspaces and members; every bad input exits non-zero with a clear message and changes nothing;
 * and a server started on the same DATA_DIR lets the CLI-made user log in and see the workspace.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server.js';
import { ApiClient } from '../helpers/http.js';
import { runNode } from '../helpers/processes.js';

describe('operator CLI', () => {
  let dataDir: string;
  let workspaceId: string;
  const cli = (args: string[], stdin = '') => runNode('cli.js', args, { DATA_DIR: dataDir, HUNTROOM_DEMO: 'on' }, stdin);

  /** Everything the CLI can change, to prove a refused command changed nothing. */
  const state = async () => {
    const [teams, users, workspaces] = await Promise.all([cli(['team', 'list']), cli(['user', 'list']), cli(['workspace', 'list'])]);
    return { teams: teams.stdout, users: users.stdout, workspaces: workspaces.stdout };
  };

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'huntroom-cli-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts empty: the CLI never seeds the demo', async () => {
    const teams = await cli(['team', 'list']);
    expect(teams.code).toBe(0);
    expect(teams.stdout.trim()).toBe('(no teams)');
    expect((await cli(['user', 'list'])).stdout.trim()).toBe('(no users)');
  });

  it('team add creates teams, upper-casing the code, with or without a colour', async () => {
    const us = await cli(['team', 'add', '--code', 'us', '--name', 'United States', '--color', '#1f77b4']);
    expect(us.code, us.stderr).toBe(0);
    expect(us.stdout).toContain('team US added (United States, #1f77b4)');
    const lv = await cli(['team', 'add', '--code', 'CERT-LV', '--name', 'CERT.LV']);
    expect(lv.code, lv.stderr).toBe(0);
    const list = await cli(['team', 'list']);
    expect(list.stdout).toMatch(/^CERT-LV\s+#[0-9a-f]{6}\s+CERT\.LV$/m);
    expect(list.stdout).toMatch(/^US\s+#1f77b4\s+United States$/m);
  });

  it('user add reads the password from stdin and normalizes the username', async () => {
    const res = await cli(['user', 'add', '--username', 'Alice', '--team', 'us', '--display-name', 'Alice Carter', '--password-stdin'], 'alice-cli-password\n');
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('user alice added to team US');
    const bob = await cli(['user', 'add', '--username', 'bob', '--team', 'CERT-LV', '--password-stdin'], 'bob-cli-password');
    expect(bob.code, bob.stderr).toBe(0);
    const list = await cli(['user', 'list']);
    expect(list.stdout).toMatch(/^alice\s+US\s+Alice Carter$/m);
    expect(list.stdout).toMatch(/^bob\s+CERT-LV\s+bob$/m);
  });

  it('workspace add prints the new id; member add adds with a role', async () => {
    const ws = await cli(['workspace', 'add', '--name', 'Operation CLI', '--owner', 'alice', '--description', 'made by an operator']);
    expect(ws.code, ws.stderr).toBe(0);
    workspaceId = ws.stdout.trim();
    expect(workspaceId).toMatch(/^[0-9a-f-]{36}$/);
    const member = await cli(['member', 'add', '--workspace', workspaceId, '--username', 'bob', '--role', 'hunter']);
    expect(member.code, member.stderr).toBe(0);
    expect(member.stdout).toContain('bob added as hunter');
    const list = await cli(['workspace', 'list']);
    expect(list.stdout).toMatch(new RegExp(`^${workspaceId}\\s+2 members\\s+Operation CLI$`, 'm'));
  });

  it('the operator names team admins and site admins and decides who creates workspaces (issue 15)', async () => {
    const admin = await cli(['team', 'admin', 'add', '--team', 'US', '--username', 'alice']);
    expect(admin.code, admin.stderr).toBe(0);
    expect(admin.stdout).toContain('alice is now an admin of team US');
    expect((await cli(['team', 'admin', 'add', '--team', 'US', '--username', 'alice'])).stdout).toContain('already was an admin');
    expect((await cli(['team', 'admin', 'list', '--team', 'US'])).stdout).toMatch(/^alice\s+Alice Carter$/m);
    const site = await cli(['user', 'site-admin', '--username', 'bob', '--on']);
    expect(site.code, site.stderr).toBe(0);
    expect((await cli(['user', 'list'])).stdout).toMatch(/^bob\s+CERT-LV\s+bob\s+\[site admin\]$/m);
    expect((await cli(['user', 'site-admin', '--username', 'bob', '--off'])).stdout).toContain('bob is no longer a site admin');
    expect((await cli(['user', 'list'])).stdout).not.toContain('[site admin]');
    expect((await cli(['settings', 'show'])).stdout.trim()).toBe('workspace-creators team-admins');
    expect((await cli(['settings', 'set', '--workspace-creators', 'site-admins'])).stdout.trim()).toBe('workspace-creators site-admins');
    expect((await cli(['settings', 'set', '--workspace-creators', 'team-admins'])).code).toBe(0);
    const removed = await cli(['team', 'admin', 'remove', '--team', 'US', '--username', 'alice']);
    expect(removed.stdout).toContain('alice is no longer an admin of team US');
    expect((await cli(['team', 'admin', 'list', '--team', 'US'])).stdout.trim()).toBe('(team US has no admins)');
  });

  const refusals: [string, string[], string, RegExp][] = [
    ['an unknown team', ['user', 'add', '--username', 'carol', '--team', 'XX', '--password-stdin'], 'carol-password-1\n', /--team: no team with code XX/],
    ['a short password', ['user', 'add', '--username', 'carol', '--team', 'US', '--password-stdin'], 'short\n', /password: use at least 10 characters/],
    ['an empty password', ['user', 'add', '--username', 'carol', '--team', 'US', '--password-stdin'], '', /password/],
    ['a bad username', ['user', 'add', '--username', 'Carol Smith!', '--team', 'US', '--password-stdin'], 'carol-password-1\n', /--username:/],
    ['a duplicate username', ['user', 'add', '--username', 'alice', '--team', 'US', '--password-stdin'], 'another-password\n', /already exists: user alice/],
    ['a duplicate team code', ['team', 'add', '--code', 'us', '--name', 'Again'], '', /already exists: team us/i],
    ['a bad team code', ['team', 'add', '--code', 'U S', '--name', 'Spaces'], '', /--code/],
    ['a bad colour', ['team', 'add', '--code', 'CA', '--name', 'Canada', '--color', 'red'], '', /colour like #1f77b4/],
    ['a missing flag', ['team', 'add', '--code', 'CA'], '', /--name is required/],
    ['a missing owner', ['workspace', 'add', '--name', 'No owner'], '', /--owner is required/],
    ['an unknown owner', ['workspace', 'add', '--name', 'Ghost op', '--owner', 'ghost'], '', /--owner: no user named ghost/],
    ['a bad role', ['member', 'add', '--workspace', 'WS', '--username', 'alice', '--role', 'admin'], '', /--role:/],
    ['an unknown workspace', ['member', 'add', '--workspace', 'nope', '--username', 'alice', '--role', 'hunter'], '', /--workspace: no workspace nope/],
    ['an unknown member', ['member', 'add', '--workspace', 'WS', '--username', 'ghost', '--role', 'hunter'], '', /--username: no user named ghost/],
    ['an existing member', ['member', 'add', '--workspace', 'WS', '--username', 'bob', '--role', 'observer'], '', /bob is already a member/],
    ['an unknown flag', ['team', 'add', '--code', 'CA', '--name', 'Canada', '--colour', '#000000'], '', /Unknown option '--colour'/],
    ['an unknown command', ['team', 'remove', '--code', 'US'], '', /unknown command "team remove"/],
    ['a team admin from another team', ['team', 'admin', 'add', '--team', 'US', '--username', 'bob'], '', /bob is in team CERT-LV; a team's admins must belong to it/],
    ['a team admin of an unknown team', ['team', 'admin', 'add', '--team', 'XX', '--username', 'bob'], '', /--team: no team with code XX/],
    ['removing someone who is no admin', ['team', 'admin', 'remove', '--team', 'US', '--username', 'alice'], '', /admin alice of team US not found/],
    ['site admin without on or off', ['user', 'site-admin', '--username', 'bob'], '', /say --on or --off/],
    ['a bad workspace-creators value', ['settings', 'set', '--workspace-creators', 'everyone'], '', /--workspace-creators:/],
  ];

  it('refuses every bad input: non-zero exit, a clear message on stderr, no stack trace, nothing changed', async () => {
    const before = await state();
    // None of these may write, so they can run side by side (four at a time) to keep the suite fast.
    const results: { what: string; res: Awaited<ReturnType<typeof cli>>; message: RegExp }[] = [];
    const queue = [...refusals];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          const [what, args, stdin, message] = next;
          const res = await cli(
            args.map((a) => (a === 'WS' ? workspaceId : a)),
            stdin,
          );
          results.push({ what, res, message });
        }
      }),
    );
    expect(results).toHaveLength(refusals.length);
    for (const { what, res, message } of results) {
      expect(res.code, what).not.toBe(0);
      expect(res.stderr, what).toMatch(message);
      expect(res.stderr, what).toMatch(/^huntroom: /);
      expect(res.stderr, what).not.toMatch(/\n\s+at .+:\d+:\d+/);
      expect(res.stdout, what).toBe('');
    }
    expect(await state()).toEqual(before);
  });

  it('without --password-stdin and without a terminal, refuses instead of hanging', async () => {
    const res = await cli(['user', 'add', '--username', 'dave', '--team', 'US']);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/--password-stdin/);
  });

  it('prints usage and fails for no command', async () => {
    const res = await cli([]);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('usage: npm run cli');
  });

  it('a bad environment is reported like the server does', async () => {
    const res = await runNode('cli.js', ['team', 'list'], { DATA_DIR: dataDir, LOG_LEVEL: 'loud' });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/LOG_LEVEL/);
  });

  it('a server started on the same DATA_DIR lets the CLI-made users log in and see their workspace', async () => {
    // The CLI made teams, so the server does not seed the demo over them.
    const server = await startTestServer({ DATA_DIR: dataDir });
    try {
      expect(server.demo).toBeUndefined();
      const alice = new ApiClient(server.url);
      await alice.login('alice', 'alice-cli-password');
      const me = (await alice.get('/api/me')).body.account;
      expect(me).toMatchObject({ username: 'alice', displayName: 'Alice Carter', team: { code: 'US', color: '#1f77b4' } });
      const ws = await alice.get(`/api/workspaces/${workspaceId}`);
      expect(ws.body).toMatchObject({ name: 'Operation CLI', description: 'made by an operator', role: 'owner' });
      const bob = new ApiClient(server.url);
      await bob.login('bob', 'bob-cli-password');
      expect((await bob.get(`/api/workspaces/${workspaceId}`)).body.role).toBe('hunter');
      const members = (await alice.get(`/api/workspaces/${workspaceId}/members`)).body.members.map((m: { username: string }) => m.username);
      expect(members.sort()).toEqual(['alice', 'bob']);
      const wrong = await new ApiClient(server.url).post('/api/auth/login', { username: 'bob', password: 'bob-cli-passwordX' });
      expect(wrong.status).toBe(401);
    } finally {
      // stop() would delete the directory the other tests own; close the node only.
      await server.close();
    }
  });
});

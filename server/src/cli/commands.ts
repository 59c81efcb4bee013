/**
 * The CLI's commands, separate from process handling so tests can run them against a temp database.
 * Every input goes through the same zod schemas as the REST API, so the CLI cannot create what the
 * API would refuse.
 */
import { parseArgs } from 'node:util';
import type { Readable, Writable } from 'node:stream';
import { createTeamSchema, createWorkspaceSchema, passwordSchema, roleSchema, usernameSchema, teamCodeSchema, workspaceCreatorsSchema, type Team } from '@huntroom/shared';
import type { z } from 'zod';
import type { Db } from '../storage/db.js';
import { UniqueViolation } from '../storage/db.js';
import { teamStore } from '../teams/store.js';
import { accountStore } from '../auth/store.js';
import { hashPassword } from '../auth/passwords.js';
import { workspaceStore } from '../workspaces/store.js';
import { auditStore } from '../audit/store.js';
import { readPassword } from './password.js';
import { authorityStore } from '../authority/store.js';
import { addTeamAdmin, removeTeamAdmin } from '../authority/teams.js';
import { AppError } from '../http/errors.js';
import { FEDERATION_USAGE, runFederationCommand } from '../federation/cli.js';
import { FederationError } from '../federation/links.js';

export class CliError extends Error {}

export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  /** PUBLIC_URL, the default URL of this instance's federation identity. */
  publicUrl?: string | undefined;
}

const USAGE = `usage: npm run cli -- <command>
  team add --code US --name "United States" [--color #4e9af1]
  team list
  team admin add|remove --team US --username alice
  team admin list --team US
  user add --username alice --team US [--display-name "Alice Carter"] [--password-stdin] [--site-admin]
  user site-admin --username alice --on|--off
  user list
  settings show
  settings set --workspace-creators anyone|team-admins|site-admins
  workspace add --name "Operation X" --owner alice [--description "..."]
  workspace list
  member add --workspace <id> --username bob --role owner|hunter|observer
${FEDERATION_USAGE}`;

function check<S extends z.ZodType>(schema: S, value: unknown, flag: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new CliError(`--${flag}: ${r.error.issues[0]?.message ?? 'invalid'}`);
  return r.data;
}

function need(values: Record<string, unknown>, flag: string): string {
  const v = values[flag];
  if (typeof v !== 'string' || v === '') throw new CliError(`--${flag} is required\n${USAGE}`);
  return v;
}

async function cliTeam(db: Db, v: Record<string, unknown>): Promise<Team> {
  const code = check(teamCodeSchema, need(v, 'team'), 'team');
  const team = await teamStore.byCode(db, code);
  if (!team) throw new CliError(`--team: no team with code ${code} (see: team list)`);
  return team;
}

export async function runCommand(db: Db, argv: string[], io: CliIo): Promise<string> {
  if (argv[0] === 'federation') {
    try {
      return await runFederationCommand(db, argv.slice(1), { publicUrl: io.publicUrl });
    } catch (err) {
      if (err instanceof FederationError) throw new CliError(err.message);
      throw err;
    }
  }
  // `team admin add` has three words; every other command has two.
  const threeWords = argv[0] === 'team' && argv[1] === 'admin';
  const [noun, verb, ...rest] = threeWords ? ['team', `admin ${argv[2] ?? ''}`.trim(), ...argv.slice(3)] : argv;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: {
        code: { type: 'string' },
        name: { type: 'string' },
        color: { type: 'string' },
        username: { type: 'string' },
        team: { type: 'string' },
        'display-name': { type: 'string' },
        'password-stdin': { type: 'boolean' },
        owner: { type: 'string' },
        description: { type: 'string' },
        workspace: { type: 'string' },
        role: { type: 'string' },
        'site-admin': { type: 'boolean' },
        on: { type: 'boolean' },
        off: { type: 'boolean' },
        'workspace-creators': { type: 'string' },
      },
      strict: true,
    });
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n${USAGE}`);
  }
  const v = parsed.values as Record<string, unknown>;
  const key = `${noun ?? ''} ${verb ?? ''}`;
  try {
    switch (key) {
      case 'team add': {
        const input = check(createTeamSchema, { code: need(v, 'code'), name: need(v, 'name'), color: v.color }, 'code/name/color');
        const team = await teamStore.create(db, input);
        return `team ${team.code} added (${team.name}, ${team.color})`;
      }
      case 'team list':
        return (await teamStore.list(db)).map((t) => `${t.code.padEnd(10)} ${t.color}  ${t.name}`).join('\n') || '(no teams)';
      case 'user add': {
        const username = check(usernameSchema, need(v, 'username'), 'username');
        const code = check(teamCodeSchema, need(v, 'team'), 'team');
        const team = await teamStore.byCode(db, code);
        if (!team) throw new CliError(`--team: no team with code ${code} (add it with: team add --code ${code} --name "...")`);
        const password = check(passwordSchema, await readPassword(io, v['password-stdin'] === true), 'password');
        const displayName = typeof v['display-name'] === 'string' ? v['display-name'] : username;
        const id = await accountStore.create(db, { username, displayName, passwordHash: await hashPassword(password), teamId: team.id });
        if (v['site-admin'] === true) await authorityStore.setSiteAdmin(db, id, true);
        return `user ${username} added to team ${team.code}${v['site-admin'] === true ? ' (site admin)' : ''}`;
      }
      case 'user site-admin': {
        const username = check(usernameSchema, need(v, 'username'), 'username');
        if ((v.on === true) === (v.off === true)) throw new CliError(`say --on or --off\n${USAGE}`);
        const account = await accountStore.byUsername(db, username);
        if (!account) throw new CliError(`--username: no user named ${username}`);
        await authorityStore.setSiteAdmin(db, account.id, v.on === true);
        await auditStore.write(db, {
          actorId: null,
          teamId: account.team.id,
          action: v.on === true ? 'site_admin.granted' : 'site_admin.revoked',
          detail: { username, via: 'cli' },
        });
        return `${username} is ${v.on === true ? 'now' : 'no longer'} a site admin`;
      }
      case 'team admin add':
      case 'team admin remove': {
        const team = await cliTeam(db, v);
        const username = check(usernameSchema, need(v, 'username'), 'username');
        const actor = { id: null, teamId: null };
        try {
          if (verb === 'admin add') {
            const added = await addTeamAdmin(db, team, username, actor);
            return added ? `${username} is now an admin of team ${team.code}` : `${username} already was an admin of team ${team.code}`;
          }
          await removeTeamAdmin(db, team, username, actor);
          return `${username} is no longer an admin of team ${team.code}`;
        } catch (err) {
          if (err instanceof AppError) throw new CliError(err.message);
          throw err;
        }
      }
      case 'team admin list': {
        const team = await cliTeam(db, v);
        return (await authorityStore.teamAdmins(db, team.id)).map((a) => `${a.username.padEnd(20)} ${a.displayName}`).join('\n') || `(team ${team.code} has no admins)`;
      }
      case 'settings show': {
        const s = await authorityStore.settings(db);
        return `workspace-creators ${s.workspaceCreators}`;
      }
      case 'settings set': {
        const workspaceCreators = check(workspaceCreatorsSchema, need(v, 'workspace-creators'), 'workspace-creators');
        await authorityStore.setSettings(db, { workspaceCreators });
        await auditStore.write(db, { actorId: null, action: 'settings.updated', detail: { workspaceCreators, via: 'cli' } });
        return `workspace-creators ${workspaceCreators}`;
      }
      case 'user list': {
        const rows = await db.all<{ username: string; display_name: string; code: string; site_admin: number }>(
          'SELECT a.username, a.display_name, t.code, a.site_admin FROM accounts a JOIN teams t ON t.id = a.team_id ORDER BY a.username',
        );
        return rows.map((r) => `${r.username.padEnd(20)} ${r.code.padEnd(8)} ${r.display_name}${Number(r.site_admin) === 1 ? '  [site admin]' : ''}`).join('\n') || '(no users)';
      }
      case 'workspace add': {
        const input = check(createWorkspaceSchema, { name: need(v, 'name'), description: v.description }, 'name');
        const ownerName = check(usernameSchema, need(v, 'owner'), 'owner');
        const owner = await accountStore.byUsername(db, ownerName);
        if (!owner) throw new CliError(`--owner: no user named ${ownerName}`);
        const id = await db.transaction(async (tx) => {
          const wsId = await workspaceStore.create(tx, { name: input.name, description: input.description ?? '', defaultTlp: 'AMBER', createdBy: owner.id });
          await auditStore.write(tx, { workspaceId: wsId, actorId: owner.id, teamId: owner.team.id, action: 'workspace.created', detail: { via: 'cli' } });
          return wsId;
        });
        return id;
      }
      case 'workspace list': {
        const rows = await db.all<{ id: string; name: string; n: number }>(
          'SELECT w.id, w.name, (SELECT COUNT(*) FROM members m WHERE m.workspace_id = w.id) AS n FROM workspaces w ORDER BY w.created_at',
        );
        return rows.map((r) => `${r.id}  ${String(r.n).padStart(3)} members  ${r.name}`).join('\n') || '(no workspaces)';
      }
      case 'member add': {
        const workspaceId = need(v, 'workspace');
        const username = check(usernameSchema, need(v, 'username'), 'username');
        const role = check(roleSchema, need(v, 'role'), 'role');
        const ws = await db.get('SELECT id FROM workspaces WHERE id = ?', [workspaceId]);
        if (!ws) throw new CliError(`--workspace: no workspace ${workspaceId} (see: workspace list)`);
        const account = await accountStore.byUsername(db, username);
        if (!account) throw new CliError(`--username: no user named ${username}`);
        if (await workspaceStore.roleOf(db, workspaceId, account.id)) throw new CliError(`${username} is already a member of that workspace`);
        await workspaceStore.addMember(db, workspaceId, account.id, role);
        await auditStore.write(db, { workspaceId, actorId: null, teamId: account.team.id, action: 'member.added', detail: { username, role, via: 'cli' } });
        return `${username} added as ${role}`;
      }
      default:
        throw new CliError(noun ? `unknown command "${key.trim()}"\n${USAGE}` : USAGE);
    }
  } catch (err) {
    if (err instanceof UniqueViolation) throw new CliError(`already exists: ${noun} ${(v.code ?? v.username ?? v.name) as string}`);
    throw err;
  }
}

/**
 * The demo a new user lands in: on an empty database (and unless HUNTROOM_DEMO=off), three national
 * teams, one account each and one shared hunt workspace with a hunt under way (story.ts: indicators,
 * sightings, comments, the hunt operation; documents.ts: notes, a whiteboard, ATT&CK marks), so
 * `npm start` shows the product in its first minute. All of it in one transaction, made once: a data
 * directory that has teams is never seeded again.
 */
import type { AppContext } from '../context.js';
import type { Db } from '../storage/db.js';
import { teamStore } from '../teams/store.js';
import { accountStore, publicAccount } from '../auth/store.js';
import { hashPassword } from '../auth/passwords.js';
import { workspaceStore } from '../workspaces/store.js';
import { auditStore } from '../audit/store.js';
import { UniqueViolation } from '../storage/db.js';
import { authorityStore } from '../authority/store.js';
import type { SeedActor } from './run.js';
import { seedStory } from './story.js';
import { seedAttackMarks, seedNotes, seedWhiteboard } from './documents.js';
import { DEMO_PASSWORD } from './password.js';

export { DEMO_PASSWORD };

const TEAMS = [
  { code: 'US', name: 'United States hunt team', color: '#4e9af1', user: 'alice', display: 'Alice Carter' },
  { code: 'CA', name: 'Canadian hunt team', color: '#e5484d', user: 'ben', display: 'Ben Tremblay' },
  { code: 'LV', name: 'CERT.LV (host nation)', color: '#30a46c', user: 'liga', display: 'Līga Ozola' },
] as const;

export interface DemoInfo {
  workspaceId: string;
  accounts: { username: string; team: string; password: string }[];
}

export interface SeedOptions {
  content: boolean;
  /** The demo password's hash, started before the modules loaded (password.ts); hashed here if it has none. */
  passwordHash?: Promise<string | undefined> | undefined;
}

/** Seeds the demo if the database has no teams yet; returns what it made, or undefined. */
export async function seedDemo(ctx: AppContext, opts: SeedOptions = { content: true }): Promise<DemoInfo | undefined> {
  if ((await teamStore.list(ctx.db)).length > 0) return undefined;
  const passwordHash = (await opts.passwordHash) ?? (await hashPassword(DEMO_PASSWORD));
  try {
    return await seed(ctx, passwordHash, opts.content);
  } catch (err) {
    // Two nodes starting at once on one fresh PostgreSQL both saw no teams; the one that lost the
    // race on teams.code finds the demo already made by the other, and must start, not crash.
    if (err instanceof UniqueViolation) return undefined;
    throw err;
  }
}

function seed(ctx: AppContext, passwordHash: string, content: boolean): Promise<DemoInfo> {
  return ctx.db.transaction(async (tx) => {
    const ids: string[] = [];
    for (const t of TEAMS) {
      const team = await teamStore.create(tx, { code: t.code, name: t.name, color: t.color });
      const accountId = await accountStore.create(tx, { username: t.user, displayName: t.display, passwordHash, teamId: team.id });
      // Each demo user administers its own team, so invites and approvals can be tried at once.
      await authorityStore.addTeamAdmin(tx, team.id, accountId);
      ids.push(accountId);
    }
    const workspaceId = await workspaceStore.create(tx, {
      name: 'Operation NORTHERN LIGHT (demo)',
      description: 'Joint hunt on the partner ministry network. Demo data: try co-editing with two browsers.',
      defaultTlp: 'AMBER',
      createdBy: ids[0]!,
    });
    await workspaceStore.addMember(tx, workspaceId, ids[1]!, 'hunter');
    await workspaceStore.addMember(tx, workspaceId, ids[2]!, 'hunter');
    await auditStore.write(tx, { workspaceId, actorId: ids[0], action: 'workspace.created', detail: { demo: true } });
    if (content) await seedHunt(tx, workspaceId, ids);
    return { workspaceId, accounts: TEAMS.map((t) => ({ username: t.user, team: t.code, password: DEMO_PASSWORD })) };
  });
}

/** The hunt under way in the demo workspace, told over the last six days (story.ts, documents.ts). */
async function seedHunt(tx: Db, workspaceId: string, ids: string[]): Promise<void> {
  const now = Date.now();
  const clock = (hoursAgo: number) => new Date(now - hoursAgo * 3_600_000);
  // The workspace was started before the story began.
  await tx.run('UPDATE audit_log SET at = ? WHERE workspace_id = ?', [clock(160).toISOString(), workspaceId]);
  await tx.run('UPDATE workspaces SET created_at = ? WHERE id = ?', [clock(160).toISOString(), workspaceId]);
  const who: Record<string, SeedActor> = {};
  for (const [i, t] of TEAMS.entries()) {
    const account = publicAccount((await accountStore.byId(tx, ids[i]!))!);
    who[t.code] = { account, workspace: (await workspaceStore.getFor(tx, workspaceId, account.id))! };
  }
  const people = Object.fromEntries(Object.entries(who).map(([code, w]) => [code, w.account]));
  await seedNotes(tx, workspaceId, people, clock);
  const { boardIndicator } = await seedStory(tx, workspaceId, who, clock);
  await seedWhiteboard(tx, workspaceId, people.US!, boardIndicator, clock(20));
  await seedAttackMarks(tx, workspaceId);
}

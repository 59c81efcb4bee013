/**
 * Operator CLI: `npm run cli -- <command>`. Works on the same DATA_DIR (or DATABASE_URL) as the server,
 * also while it runs (SQLite WAL allows one writer beside readers).
 *
 *   team add --code US --name "United States" [--color #4e9af1]
 *   team list
 *   team admin add|remove|list --team US [--username alice]
 *   user add --username alice --team US [--display-name "Alice"] [--password-stdin] [--site-admin]
 *   user site-admin --username alice --on|--off
 *   user list
 *   settings show | settings set --workspace-creators anyone|team-admins|site-admins
 *   workspace add --name "Op X" --owner alice [--description "..."]
 *   workspace list
 *   member add --workspace <id> --username bob --role hunter
 *   federation identity | link add|list|suspend|resume|remove|rotate (federation/cli.ts)
 */
import { loadConfig, ConfigError } from './config.js';
import { openStorage } from './storage/open.js';
import { runCommand, CliError } from './cli/commands.js';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  let db;
  try {
    const config = loadConfig();
    db = await openStorage({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
    const out = await runCommand(db, args, { stdin: process.stdin, stdout: process.stdout, publicUrl: config.publicUrl });
    if (out) console.log(out);
    return 0;
  } catch (err) {
    if (err instanceof CliError || err instanceof ConfigError) {
      console.error(`huntroom: ${err.message}`);
      return 2;
    }
    console.error(`huntroom: ${(err as Error).message}`);
    return 1;
  } finally {
    await db?.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    // Only closing the database can still throw here: report it rather than exit silently.
    console.error('huntroom:', err);
    process.exit(1);
  },
);

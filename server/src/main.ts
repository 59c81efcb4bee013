/**
 * `npm start`: reads the environment, starts one Huntroom node, prints how to log in, and shuts down
 * gracefully on SIGTERM/SIGINT (stop accepting, tell clients to reconnect, flush, close storage).
 */
import { ConfigError, loadConfig } from './config.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  // The whole application is loaded only once the settings are known to be good, so a bad setting is
  // reported at once (bench/src/startup.mjs measures both; docs/performance.md has the numbers). On a
  // fresh data directory the demo password's hash runs in a libuv thread while the modules load.
  const demoPasswordHash = import('./demo/password.js').then((m) => m.prehashDemoPassword(config)).catch(() => undefined);
  const [{ createLogger }, { startHuntroom }] = await Promise.all([import('./log.js'), import('./app.js')]);
  const log = createLogger(config.logLevel);
  const node = await startHuntroom({ config, logger: log, demoPasswordHash });
  const url = config.publicUrl ?? node.url;
  log.info({ url, dataDir: config.dataDir }, 'huntroom listening');
  console.log(`\n  Huntroom is running at ${url}\n  Data: ${config.dataDir}\n`);
  if (node.demo) {
    console.log('  A demo workspace was created. Log in as any of (password for all: %s):', node.demo.accounts[0]?.password);
    for (const a of node.demo.accounts) console.log(`    ${a.username.padEnd(8)} team ${a.team}`);
    console.log('  Open two browsers as two teams to see each other live.\n');
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    node
      .close('server restarting')
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`huntroom: could not start: ${message}`);
  process.exit(1);
});

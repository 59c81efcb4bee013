/**
 * Builds a whole Huntroom node: storage, HTTP app, socket.io hub, and (once started) the listening
 * server. Used by main.ts and by the integration tests, which start it on port 0 with a temp DATA_DIR.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, type Config } from './config.js';
import { createLogger, type Logger } from './log.js';
import { openStorage } from './storage/open.js';
import { updateJournalFile } from './storage/files.js';
import { createHttpApp } from './http/app.js';
import { RealtimeHub } from './realtime/hub.js';
import type { AppContext } from './context.js';
import { seedDemo, type DemoInfo } from './demo/seed.js';
import { CollabServer } from './collab/CollabServer.js';
import { startHandoffSweeper } from './handoff/guests.js';
import type { CollabOptions } from './collab/options.js';
import { createResources } from './resources.js';
import { LinkManager, type LinkManagerOptions } from './federation/LinkManager.js';
import { FederationBus, type ChannelOptions } from './federation/channel.js';
import { registerFederation } from './federation/features.js';

export interface Huntroom {
  ctx: AppContext;
  server: Server;
  /** http://host:port as reachable from this machine. */
  url: string;
  port: number;
  demo: DemoInfo | undefined;
  /** Federation links of this node (docs/federation.md). */
  federation: LinkManager;
  close(reason?: string): Promise<void>;
}

export interface StartOptions {
  /** Overrides of environment variables, e.g. `{ PORT: '0', DATA_DIR: tmp }`. */
  env?: Record<string, string | undefined>;
  config?: Config;
  logger?: Logger;
  /** Document server limits and timers over its defaults (tests shorten the unload delay). */
  collab?: Partial<CollabOptions>;
  /** Federation link timers over their defaults (tests poll the links table faster). */
  federation?: Partial<LinkManagerOptions>;
  federationChannel?: Partial<ChannelOptions>;
  /** The demo password's hash if main.ts started it early (demo/password.ts). */
  demoPasswordHash?: Promise<string | undefined> | undefined;
}

export async function startHuntroom(opts: StartOptions = {}): Promise<Huntroom> {
  const config = opts.config ?? loadConfig({ ...process.env, ...opts.env });
  const log = opts.logger ?? createLogger(config.logLevel);
  const db = await openStorage({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, checkpointInWorker: true });
  const realtime = new RealtimeHub();
  const resources = createResources(config);
  const collab = new CollabServer({ db, config, log, resources }, opts.collab);
  const federationLog = log.child({ category: 'federation' });
  const retention = config.federationOutbox;
  const bus = new FederationBus(
    { db, log: federationLog },
    { retainMessages: retention.maxMessages, retainBytes: retention.maxBytes, retainMs: retention.maxAgeMs, retentionCheckMs: retention.checkMs, ...opts.federationChannel },
  );
  const ctx: AppContext = { db, config, log, realtime, collab, resources, federation: bus };
  realtime.onAccessClosed((e) => {
    for (const accountId of e.accountIds) collab.closeAccount(e.workspaceId, accountId, e.code, e.reason);
  });
  const demo = config.demo ? await seedDemo(ctx, { content: config.demoContent, passwordHash: opts.demoPasswordHash }) : undefined;
  // A handoff's guests lose the workspace the moment it expires: checked every second on every node.
  const stopHandoffSweeper = startHandoffSweeper(ctx, 1_000);

  // Readiness: a node cut off from Redis still serves its own clients, but says so.
  const health = () => {
    const redis = config.redisUrl ? (collab.fanout?.up ? 'up' : 'down') : 'off';
    return { ...collab.stats, workers: resources.workers.stats, redis, federation: bus.upLinks(), ready: redis !== 'down' };
  };
  const app = createHttpApp(ctx, health);
  const server = createServer(app);
  realtime.attach(server, ctx);
  // Only /yjs/ upgrades; socket.io's own listener takes /socket.io/.
  collab.attach(server);
  // Peers' link sockets at /federation/v1/link; links the operator made with the CLI are dialed.
  const federation = new LinkManager({ db, log: federationLog, bus }, opts.federation);
  registerFederation(ctx, bus);
  federation.attach(server);
  // SQLite: updates reach the journal before anyone receives them; what it holds beyond the database
  // is stored now, with the taps in place and before any client connects.
  if (!config.databaseUrl) {
    const journal = await collab.updateLog.openJournal(updateJournalFile(config.dataDir));
    if (journal.recovered || journal.dropped) log.warn(journal, 'stored the updates the update journal held beyond the database (a server stopped between the two)');
    if (!journal.journal) log.warn('update journal not built (server/native/mapShared.c needs a C compiler at build time): each update is committed before it is relayed');
  }
  // Slow or idle clients must not hold sockets forever; websockets are exempt once upgraded.
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // The worker pool's library is loaded a moment after ready, in a turn of its own, not in the first
  // export's (issue 21), with the one thread the pool keeps (workers/pool.ts).
  setTimeout(() => resources.workers.warm(), 1_000).unref();
  const port = (server.address() as AddressInfo).port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  let closing: Promise<void> | undefined;

  return {
    ctx,
    server,
    port,
    url: `http://${host}:${port}`,
    demo,
    federation,
    close(reason = 'server restarting') {
      closing ??= (async () => {
        stopHandoffSweeper();
        await federation.close();
        // Documents first: socket.io's close waits for the http server, which waits for open websockets.
        await collab.close(reason);
        await realtime.close(reason);
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await db.close();
        await resources.workers.close();
      })();
      return closing;
    },
  };
}

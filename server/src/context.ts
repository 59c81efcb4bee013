/**
 * What every domain's routes and services are given: storage, configuration, the logger and the
 * realtime hub. Built once in app.ts; passed explicitly, never imported as a global.
 */
import type { Db } from './storage/db.js';
import type { Config } from './config.js';
import type { Logger } from './log.js';
import type { RealtimeHub } from './realtime/hub.js';
import type { CollabServer } from './collab/CollabServer.js';
import type { Resources } from './resources.js';
import type { FederationBus } from './federation/channel.js';

export interface AppContext {
  db: Db;
  config: Config;
  log: Logger;
  realtime: RealtimeHub;
  /** The Yjs document server, for services that change live documents (e.g. restoring a version). */
  collab: CollabServer;
  /** The worker pool, upload slots and hash cap of this node (resources.ts). */
  resources: Resources;
  /** Links to peer instances: what crosses them (docs/federation.md). Absent in unit tests' contexts. */
  federation?: FederationBus;
}

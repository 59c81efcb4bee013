/**
 * Starts a real Huntroom node (the built server) on a random port with a temporary DATA_DIR, and
 * stops it and removes the directory afterwards. Tests talk to it only through real clients.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHuntroom, type Huntroom, type StartOptions } from '@huntroom/server';

export interface TestServer extends Huntroom {
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * Every suite logs in and exports far more often from 127.0.0.1 than a person would; the limits that
 * count per address or per minute are raised here. The suites that test those limits set their own.
 */
export const GENEROUS_LIMITS: Record<string, string> = { LOGIN_LIMIT_PER_ADDRESS: '100000', EXPORTS_PER_MINUTE_PER_ACCOUNT: '100000' };

/**
 * The suites' fixture: the demo's teams, accounts and its workspace, empty (the suites count what they
 * make in it). A suite about the demo's hunt itself passes HUNTROOM_DEMO: 'on'.
 */
export const DEMO_ACCOUNTS: Record<string, string> = { HUNTROOM_DEMO: 'accounts' };

export async function startTestServer(env: Record<string, string> = {}, options: Omit<StartOptions, 'env'> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'huntroom-test-'));
  const node = await startHuntroom({ ...options, env: { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...DEMO_ACCOUNTS, ...GENEROUS_LIMITS, ...env } });
  return Object.assign(node, {
    dataDir,
    async stop() {
      await node.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

/**
 * Starts a real Huntroom node (the built server) on a random port with a temporary DATA_DIR, and
 * stops it and removes the directory afterwards. Tests talk to it only through real clients.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHuntroom, type Huntroom } from '@huntroom/server';

export interface TestServer extends Huntroom {
  dataDir: string;
  stop(): Promise<void>;
}

export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'huntroom-test-'));
  const node = await startHuntroom({ env: { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env } });
  return Object.assign(node, {
    dataDir,
    async stop() {
      await node.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

/**
 * The demo password's early hash (password.ts): made only where the demo is certain to be seeded, and
 * a hash that the demo password verifies against, so the demo accounts it goes into can log in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config.js';
import { verifyPassword } from '../auth/passwords.js';
import { sqliteFile } from '../storage/files.js';
import { DEMO_PASSWORD, prehashDemoPassword } from './password.js';

describe('prehashDemoPassword', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'huntroom-demo-password-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const config = (name: string, env: Record<string, string> = {}) => loadConfig({ DATA_DIR: join(dir, name), ...env });

  it('hashes the demo password on a data directory with no database yet', async () => {
    const hash = await prehashDemoPassword(config('fresh'));
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(hash!, DEMO_PASSWORD)).toBe(true);
  });

  it('hashes nothing where the demo may not be seeded', async () => {
    const existing = config('existing');
    writeFileSync(sqliteFile(existing.dataDir), '');
    expect(await prehashDemoPassword(existing)).toBeUndefined();
    expect(await prehashDemoPassword(config('off', { HUNTROOM_DEMO: 'off' }))).toBeUndefined();
    expect(await prehashDemoPassword(config('pg', { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }))).toBeUndefined();
  });
});

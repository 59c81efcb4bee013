import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { openStorage } from '../storage/open.js';
import type { Db } from '../storage/db.js';
import { runCommand } from '../cli/commands.js';
import { generateKeyPair } from './keys.js';

let dir: string;
let db: Db;
const cli = (...argv: string[]) => runCommand(db, argv, { stdin: Readable.from([]), stdout: new PassThrough(), publicUrl: 'https://us-cert.example.org/' });
const peerKey = generateKeyPair().publicKey;
const actions = async () => (await db.all<{ action: string }>("SELECT action FROM audit_log WHERE action LIKE 'federation.%' ORDER BY id")).map((r) => r.action);

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'huntroom-federation-unit-'));
  db = await openStorage({ dataDir: dir });
  await db.run("INSERT INTO teams (id, code, name, color, created_at) VALUES ('t1', 'US', 'US', '#000000', 'now')");
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('federation identity', () => {
  it('is made once from PUBLIC_URL, printed as JSON, and not renamed later', async () => {
    const first = JSON.parse(await cli('federation', 'identity')) as { name: string; url: string; publicKey: string };
    expect(first).toEqual({ name: 'us-cert', url: 'https://us-cert.example.org', publicKey: expect.stringMatching(/^ed25519:[\w-]{43}$/) as unknown });
    expect(JSON.parse(await cli('federation', 'identity'))).toEqual(first);
    await expect(cli('federation', 'identity', '--name', 'other')).rejects.toThrow(/already named us-cert/);
    expect(await actions()).toEqual(['federation.identity.created']);
  });

  it('rotates to a new key pair on `identity rotate`, keeps the name and URL, and audits both keys', async () => {
    await expect(cli('federation', 'identity', 'rotate')).rejects.toThrow(/no identity yet/);
    const first = JSON.parse(await cli('federation', 'identity')) as { name: string; url: string; publicKey: string };
    const keyBefore = (await db.get<{ private_key: string }>('SELECT private_key FROM federation_identity'))!.private_key;
    const rotated = JSON.parse(await cli('federation', 'identity', 'rotate')) as typeof first;
    expect(rotated).toEqual({ name: first.name, url: first.url, publicKey: expect.stringMatching(/^ed25519:[\w-]{43}$/) as unknown });
    expect(rotated.publicKey).not.toBe(first.publicKey);
    // The private key changed with it (a rotation that kept the old private key would prove nothing).
    expect((await db.get<{ private_key: string }>('SELECT private_key FROM federation_identity'))!.private_key).not.toBe(keyBefore);
    expect(JSON.parse(await cli('federation', 'identity'))).toEqual(rotated);
    await expect(cli('federation', 'identity', 'rotate', '--name', 'x')).rejects.toThrow(/takes no options \(got --name\)/);
    const audit = await db.all<{ action: string; detail: string }>("SELECT action, detail FROM audit_log WHERE action LIKE 'federation.identity.%' ORDER BY id");
    expect(audit.map((a) => a.action)).toEqual(['federation.identity.created', 'federation.identity.rotated']);
    expect(JSON.parse(audit[1]!.detail)).toMatchObject({ name: first.name, from: first.publicKey, to: rotated.publicKey, via: 'cli' });
  });

  it('takes --name and --url, and refuses bad ones with a reason', async () => {
    await expect(cli('federation', 'identity', '--url', 'ftp://x.example')).rejects.toThrow(/--url: must start with https:\/\//);
    await expect(cli('federation', 'identity', '--name', 'Bad Name!')).rejects.toThrow(/--name: use 2-40 lowercase/);
    expect(JSON.parse(await cli('federation', 'identity', '--name', 'lv-cert', '--url', 'https://hr.lv.example'))).toMatchObject({ name: 'lv-cert', url: 'https://hr.lv.example' });
  });
});

describe('federation links', () => {
  const add = (...extra: string[]) => cli('federation', 'link', 'add', '--name', 'lv-cert', '--url', 'https://lv.example', '--teams', 'lv, ee', '--key', peerKey, ...extra);

  it('adds, lists, suspends, resumes, rotates and removes a link, each in the audit trail', async () => {
    expect(await add()).toMatch(/link lv-cert added .*speaks for LV, EE/);
    expect(JSON.parse(await cli('federation', 'link', 'list', '--json'))).toEqual([
      {
        name: 'lv-cert',
        url: 'https://lv.example',
        teams: ['LV', 'EE'],
        state: 'active',
        publicKey: peerKey,
        updatedAt: expect.any(String) as unknown,
        lastConnectedAt: null,
        lastError: null,
      },
    ]);
    expect(await cli('federation', 'link', 'suspend', '--name', 'lv-cert')).toBe('link lv-cert suspended');
    expect(await cli('federation', 'link', 'suspend', '--name', 'lv-cert')).toBe('link lv-cert already was suspended');
    expect(await cli('federation', 'link', 'list')).toMatch(/^lv-cert\s+suspended\s+LV,EE\s+https:\/\/lv\.example {2}\(never connected\)$/);
    expect(await cli('federation', 'link', 'resume', '--name', 'lv-cert')).toBe('link lv-cert resumed');
    const next = generateKeyPair().publicKey;
    expect(await cli('federation', 'link', 'rotate', '--name', 'lv-cert', '--key', next)).toBe(`link lv-cert now expects the key ${next}`);
    expect(await cli('federation', 'link', 'remove', '--name', 'lv-cert')).toBe('link lv-cert removed');
    expect(await cli('federation', 'link', 'list')).toBe('(no links)');
    expect(await actions()).toEqual(['federation.link.added', 'federation.link.suspended', 'federation.link.resumed', 'federation.link.rotated', 'federation.link.removed']);
  });

  it('refuses what would let a peer speak for others, with a reason, and changes nothing', async () => {
    const own = JSON.parse(await cli('federation', 'identity')) as { publicKey: string };
    const refusals: Array<[string[], RegExp]> = [
      [['--name', 'lv-cert', '--url', 'https://lv.example', '--teams', 'US', '--key', peerKey], /US is a team of this instance/],
      [['--name', 'lv-cert', '--url', 'https://lv.example', '--teams', 'LV', '--key', own.publicKey], /this instance's own key/],
      [['--name', 'us-cert', '--url', 'https://lv.example', '--teams', 'LV', '--key', peerKey], /this instance's own name/],
      [['--name', 'lv-cert', '--url', 'https://user:pw@lv.example', '--teams', 'LV', '--key', peerKey], /no user name, password/],
      [['--name', 'lv-cert', '--url', 'https://lv.example', '--teams', ' , ', '--key', peerKey], /at least one team code/],
      [['--name', 'lv-cert', '--url', 'https://lv.example', '--teams', 'LV', '--key', 'ed25519:short'], /43 base64url/],
      [['--name', 'lv-cert', '--url', 'https://lv.example', '--teams', 'LV'], /--key is required/],
    ];
    for (const [args, reason] of refusals) await expect(cli('federation', 'link', 'add', ...args)).rejects.toThrow(reason);
    expect(await cli('federation', 'link', 'list')).toBe('(no links)');

    await add();
    await expect(add()).rejects.toThrow(/a link named lv-cert exists already/);
    await expect(cli('federation', 'link', 'add', '--name', 'ee-cert', '--url', 'https://ee.example', '--teams', 'EE', '--key', generateKeyPair().publicKey)).rejects.toThrow(
      /EE already spoken for by the link lv-cert/,
    );
    await expect(cli('federation', 'link', 'add', '--name', 'ee-cert', '--url', 'https://ee.example', '--teams', 'FI', '--key', peerKey)).rejects.toThrow(
      /link lv-cert has that key/,
    );
    await expect(cli('federation', 'link', 'suspend', '--name', 'nobody')).rejects.toThrow(/no link named nobody/);
    await expect(cli('federation', 'link', 'rotate', '--name', 'lv-cert', '--key', peerKey)).rejects.toThrow(/has that key already/);
    await expect(cli('federation', 'link', 'frobnicate')).rejects.toThrow(/unknown command "federation link frobnicate"/);
    expect(JSON.parse(await cli('federation', 'link', 'list', '--json'))).toHaveLength(1);
  });
});

/**
 * Password spraying (issue 15, 2.8): the login limit was per address and username, so one address
 * tried 40 usernames with no 429, each attempt costing a 19 MiB argon2 hash. Now one address gets a
 * budget of failed logins over all usernames (LOGIN_LIMIT_PER_ADDRESS, 30 a minute by default) and
 * the node computes at most PASSWORD_HASHES_AT_ONCE hashes at a time (the rest wait briefly, then
 * 503 with Retry-After). Addresses come from X-Forwarded-For, which the default TRUST_PROXY
 * (loopback) believes from this test's 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';

interface Answer {
  status: number;
  code: string | undefined;
  retryAfter: string | null;
}

async function login(url: string, username: string, password: string, from: string): Promise<Answer> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
    body: JSON.stringify({ username, password }),
  });
  const body = (await res.json()) as { error?: { code: string } };
  return { status: res.status, code: body.error?.code, retryAfter: res.headers.get('retry-after') };
}

describe('password spraying from one address', () => {
  let server: TestServer;
  beforeAll(async () => {
    // '' is "unset": the documented default (30 failed logins a minute per address) applies.
    server = await startTestServer({ LOGIN_LIMIT_PER_ADDRESS: '' });
  });
  afterAll(() => server.stop());

  it('gets 429 before the 40th username, and changes nothing for another address', async () => {
    const answers: Answer[] = [];
    for (let i = 0; i < 40; i++) answers.push(await login(server.url, `sprayed-${i}`, 'Winter2026!', '203.0.113.7'));
    const firstLimited = answers.findIndex((a) => a.status === 429);
    console.log(`40 usernames from one address: ${answers.filter((a) => a.status === 401).length} x 401, then 429 from attempt ${firstLimited + 1}`);
    expect(firstLimited).toBe(30);
    expect(answers.slice(0, 30).every((a) => a.status === 401)).toBe(true);
    expect(answers.slice(30).every((a) => a.status === 429 && a.code === 'rate_limited')).toBe(true);
    // A real account's right password from the sprayer's address is refused too: the address is spent.
    expect((await login(server.url, 'alice', 'huntroom-demo', '203.0.113.7')).status).toBe(429);
    // Another address is not affected.
    expect((await login(server.url, 'alice', 'huntroom-demo', '203.0.113.8')).status).toBe(200);
  });

  it('does not count successful logins: many people behind one proxy can all log in', async () => {
    // One address, 30 successful logins of three accounts (each within its own per-username limit of
    // 10): as many as the address's failure budget, and none of them spends it.
    const ok: number[] = [];
    for (let i = 0; i < 30; i++) ok.push((await login(server.url, ['alice', 'ben', 'liga'][i % 3]!, 'huntroom-demo', '198.51.100.77')).status);
    expect(ok.every((s) => s === 200)).toBe(true);
    // Had they counted, the budget of 30 would be spent; a mistyped password still gets its 401.
    expect((await login(server.url, 'nobody-here', 'typo', '198.51.100.77')).status).toBe(401);
  });
});

describe('argon2 hashes at once', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ PASSWORD_HASHES_AT_ONCE: '2' });
  });
  afterAll(() => server.stop());

  it('never computes more than the cap at once; the excess waits briefly or gets 503 with Retry-After', async () => {
    // 40 logins at once, each from its own address and username, so no rate limit stands in the way.
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => login(server.url, `user-${i}`, 'a wrong password', `192.0.2.${i + 1}`)));
    const counts = answers.reduce<Record<number, number>>((m, a) => ((m[a.status] = (m[a.status] ?? 0) + 1), m), {});
    console.log(`40 concurrent logins, cap 2: ${JSON.stringify(counts)}; most hashes at once: ${server.ctx.resources.hashes.peak}`);
    expect(server.ctx.resources.hashes.peak).toBeLessThanOrEqual(2);
    expect(server.ctx.resources.hashes.peak).toBeGreaterThanOrEqual(1);
    expect(answers.every((a) => a.status === 401 || a.status === 503)).toBe(true);
    // Two run and sixteen may wait: at least those get their answer.
    expect(answers.filter((a) => a.status === 401).length).toBeGreaterThanOrEqual(18);
    expect(answers.filter((a) => a.status === 503).length).toBeGreaterThan(0);
    for (const a of answers.filter((x) => x.status === 503)) {
      expect(a.code).toBe('unavailable');
      expect(Number(a.retryAfter)).toBeGreaterThan(0);
    }
    // Once the burst is over, logins work again.
    expect((await login(server.url, 'alice', 'huntroom-demo', '192.0.2.200')).status).toBe(200);
  });
});

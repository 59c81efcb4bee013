/**
 * An indicator's end of validity (validUntil) through the commands and REST: set on create in UTC, changed
 * and cleared by indicator:update (told to the teams that see it), refused when not a timestamp or not
 * after first seen (nothing changed), and not settable by a team that cannot see the indicator or by an
 * observer. STIX/MISP/CSV carriage is in the round-trip tests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { startPostgresTestServer, TEST_DATABASE_URL } from '../helpers/foundation.js';
import { connect, eventually, login, observer, type Client } from './indicators-helpers.js';

/** SQLite always; PostgreSQL too when TEST_DATABASE_URL is set (migration 014's column on both). */
const BACKENDS: { name: string; start: () => Promise<TestServer> }[] = [{ name: 'SQLite', start: () => startTestServer() }];
if (TEST_DATABASE_URL) BACKENDS.push({ name: 'PostgreSQL', start: startPostgresTestServer });

describe.each(BACKENDS)('indicator validUntil on $name', ({ start }) => {
  let server: TestServer;
  let ws: string;
  let alice: Client;
  let ben: Client;
  beforeAll(async () => {
    server = await start();
    ws = server.demo!.workspaceId;
    alice = await connect(server.url, await login(server.url, 'alice'), ws);
    ben = await connect(server.url, await login(server.url, 'ben'), ws);
  });
  afterAll(async () => {
    for (const c of [alice, ben]) c.close();
    await server.stop();
  });
  const rest = async (id: string) => (await alice.api.get(`/api/workspaces/${ws}/indicators/${id}`)).body.indicator;

  it('is kept in UTC on create, changed and cleared by update, and the change reaches the other team', async () => {
    const made = await alice.cmd('indicator:create', { type: 'domain', value: 'valid-until.example', validUntil: '2031-01-02T03:04:05+01:00' });
    expect(made).toMatchObject({ ok: true, data: { indicator: { validUntil: '2031-01-02T02:04:05.000Z' } } });
    const id = (made as any).data.indicator.id as string;
    expect(await rest(id)).toMatchObject({ validUntil: '2031-01-02T02:04:05.000Z' });

    expect(await alice.cmd('indicator:update', { id, validUntil: '2032-06-30T00:00:00Z' })).toMatchObject({
      ok: true,
      data: { indicator: { validUntil: '2032-06-30T00:00:00.000Z' } },
    });
    await eventually(() =>
      expect(ben.events.filter((e) => e.recordId === id && e.type === 'indicator:updated').at(-1)?.payload).toMatchObject({
        indicator: { validUntil: '2032-06-30T00:00:00.000Z' },
        changes: ['validUntil'],
      }),
    );

    const cleared = await alice.cmd('indicator:update', { id, validUntil: null });
    expect(cleared.ok).toBe(true);
    expect((cleared as any).data.indicator).not.toHaveProperty('validUntil');
    expect(await rest(id)).not.toHaveProperty('validUntil');
  });

  it('refuses a value that is no timestamp or not after first seen, and changes nothing', async () => {
    const made = await alice.cmd('indicator:create', { type: 'domain', value: 'valid-until-bad.example', validUntil: '2031-01-01T00:00:00Z' });
    const id = (made as any).data.indicator.id as string;
    expect(await alice.cmd('indicator:update', { id, validUntil: 'next tuesday' })).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    expect(await alice.cmd('indicator:update', { id, validUntil: '2001-01-01T00:00:00Z' })).toMatchObject({
      ok: false,
      error: { code: 'validation_failed', message: expect.stringMatching(/later than first seen/) },
    });
    expect(await alice.cmd('indicator:create', { type: 'domain', value: 'valid-until-bad2.example', validUntil: 42 })).toMatchObject({
      ok: false,
      error: { code: 'validation_failed' },
    });
    expect(await rest(id)).toMatchObject({ validUntil: '2031-01-01T00:00:00.000Z' });
    expect((await alice.api.get(`/api/workspaces/${ws}/indicators?q=valid-until-bad2`)).body.total).toBe(0);
  });

  it('cannot be set by a team the indicator is not releasable to, nor by an observer', async () => {
    const strict = await alice.cmd('indicator:create', { type: 'domain', value: 'valid-until-strict.example', tlp: 'AMBER+STRICT', validUntil: '2031-01-01T00:00:00Z' });
    const shared = await alice.cmd('indicator:create', { type: 'domain', value: 'valid-until-shared.example', validUntil: '2031-01-01T00:00:00Z' });
    const strictId = (strict as any).data.indicator.id as string;
    const sharedId = (shared as any).data.indicator.id as string;
    const denied = await ben.cmd('indicator:update', { id: strictId, validUntil: '2040-01-01T00:00:00Z' });
    expect(denied.ok).toBe(false);
    // The refusal names nothing of the hidden indicator.
    expect(JSON.stringify(denied)).not.toContain('valid-until-strict');
    const olgaApi = await observer(server.url, alice.api, ws);
    const olga = await connect(server.url, olgaApi, ws);
    try {
      expect(await olga.cmd('indicator:update', { id: sharedId, validUntil: '2040-01-01T00:00:00Z' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    } finally {
      olga.close();
    }
    expect(await rest(strictId)).toMatchObject({ validUntil: '2031-01-01T00:00:00.000Z' });
    expect(await rest(sharedId)).toMatchObject({ validUntil: '2031-01-01T00:00:00.000Z' });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { loginAs } from '../helpers/http.js';

describe('a fresh node', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  it('answers /healthz and seeds the demo workspace alice can see', async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    const alice = await loginAs(server.url, 'alice');
    const list = await alice.get('/api/workspaces');
    expect(list.status).toBe(200);
    expect(list.body.workspaces).toHaveLength(1);
    expect(list.body.workspaces[0].role).toBe('owner');
  });
});

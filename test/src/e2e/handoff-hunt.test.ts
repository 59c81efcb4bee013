/**
 * Handoff onto the hunt screens, in real Chromium: an owner (alice, US) presents live to LV; an LV
 * guest follows her onto a network's hosts and sees only the hosts releasable to LV; when she opens a
 * US-only host, its id never reaches the guest (the guest's panel stays closed); when she opens a
 * network LV may not see, the guest is taken to the networks list and never learns its id; the
 * timeline follows too. Nothing US-only reaches the guest's browser in any response.
 */
import { describe, expect, it } from 'vitest';
import { loginAs } from '../helpers/http.js';
import { browserSuite, loginInBrowser, pageErrors } from '../helpers/browser.js';

describe('handoff onto the hunt screens in the browser', () => {
  const suite = browserSuite();

  it('a guest follows the presenter onto the hosts of a network and sees only what is releasable to LV', async () => {
    const ws = suite.server.demo!.workspaceId;
    const api = await loginAs(suite.server.url, 'alice');
    const url = (p: string) => `/api/workspaces/${ws}/${p}`;
    const net = (await api.post(url('networks'), { name: 'Ministry LAN', partner: 'Partner MoD', tlp: 'GREEN' })).body.network.id as string;
    const hidden = (await api.post(url('networks'), { name: 'us-only-enclave-net', tlp: 'AMBER+STRICT' })).body.network.id as string;
    for (const [hostname, marking] of [
      ['dc01-for-lv', { tlp: 'AMBER', releasableTo: ['LV'] }],
      ['mail-green', { tlp: 'GREEN' }],
      ['jump-us-strict', { tlp: 'AMBER+STRICT' }],
    ] as const) {
      expect((await api.post(url('hosts'), { networkId: net, hostname, state: 'suspicious', ...marking })).status).toBe(201);
    }
    const strictHost = (await api.get(url(`hosts?network=${net}&q=jump`))).body.items[0].id as string;
    expect((await api.post(url('timeline'), { at: '2026-11-05T10:00:00Z', description: 'lv-visible logon', tlp: 'GREEN' })).status).toBe(201);
    expect((await api.post(url('timeline'), { at: '2026-11-05T11:00:00Z', description: 'us-strict-event', tlp: 'AMBER+STRICT' })).status).toBe(201);

    // The session and its guest: LV's admin approves the link, the official joins as an LV guest.
    const started = await api.post(url('handoffs'), { recipient: 'LV', expiresInHours: 4 });
    expect(started.status).toBe(201);
    const invites = (await api.get(url('invites'))).body.invites as { id: string; handoffId: string | null }[];
    const liga = await loginAs(suite.server.url, 'liga');
    expect((await liga.post(`/api/invite-requests/${invites.find((i) => i.handoffId === started.body.session.id)!.id}`, { decision: 'approve' })).status).toBe(200);
    const official = (await suite.newPage()).page;
    const seen: string[] = [];
    official.on(
      'response',
      (r) =>
        void r.text().then(
          (t) => seen.push(t),
          () => undefined,
        ),
    );
    const frames: string[] = [];
    official.on('websocket', (s) => s.on('framereceived', (f) => frames.push(String(f.payload))));
    await official.goto(new URL(started.body.inviteUrl as string).pathname);
    await official.getByTestId('invite-username').fill('inga');
    await official.getByTestId('invite-display-name').fill('Inga Berzina');
    await official.getByTestId('invite-password').fill('a long partner passphrase');
    await official.getByTestId('invite-accept').click();
    await expect.poll(() => official.getByTestId('handoff-bar').textContent(), { timeout: 10_000 }).toContain('following');

    const alice = (await suite.newPage()).page;
    await loginInBrowser(alice, 'alice');
    await alice.goto(`/w/${ws}/hunt/n/${net}`);
    await alice.getByTestId('host-row-jump-us-strict').waitFor();

    // The guest is taken to the same network's hosts and sees the two LV may see, not the strict one.
    await expect.poll(() => new URL(official.url()).pathname, { timeout: 10_000 }).toBe(`/w/${ws}/hunt/n/${net}`);
    await official.getByTestId('host-row-dc01-for-lv').waitFor({ timeout: 10_000 });
    await official.getByTestId('host-row-mail-green').waitFor();
    expect(await official.getByTestId('host-row-jump-us-strict').count()).toBe(0);
    expect(await official.getByTestId('host-table').textContent()).not.toContain('jump-us-strict');

    // Alice opens a host LV may see: the guest's detail opens on it too.
    await alice.getByTestId('host-row-dc01-for-lv').click();
    await expect.poll(() => new URL(official.url()).searchParams.get('open'), { timeout: 10_000 }).toBeTruthy();
    await expect.poll(() => official.getByTestId('host-detail').textContent(), { timeout: 10_000 }).toContain('dc01-for-lv');
    // She opens the strict one: its id never reaches LV, the guest's panel closes.
    await alice.getByTestId('host-row-jump-us-strict').click();
    await expect.poll(() => alice.getByTestId('host-detail').textContent()).toContain('jump-us-strict');
    await expect.poll(() => official.getByTestId('host-detail').count(), { timeout: 10_000 }).toBe(0);
    expect(new URL(official.url()).search).toBe('');

    // A network LV may not see: the guest goes to the networks list, and the network's id is not in its URL.
    await alice.goto(`/w/${ws}/hunt/n/${hidden}`);
    await alice.getByTestId('network-title').waitFor();
    await expect.poll(() => new URL(official.url()).pathname, { timeout: 10_000 }).toBe(`/w/${ws}/hunt`);

    // The timeline follows too, with only LV's events.
    await alice.getByTestId('hunt-nav-timeline').click();
    await expect.poll(() => new URL(official.url()).pathname, { timeout: 10_000 }).toBe(`/w/${ws}/hunt/timeline`);
    await expect.poll(() => official.getByTestId('tl-count').textContent(), { timeout: 10_000 }).toBe('1 shown of 1');
    await expect.poll(() => alice.getByTestId('tl-count').textContent()).toBe('2 shown of 2');
    // The list view (each follower chooses it) names the event LV may see, and not the other.
    await official.getByTestId('tl-view-list').click();
    await expect.poll(() => official.locator('body').textContent(), { timeout: 10_000 }).toContain('lv-visible logon');
    expect(await official.locator('body').textContent()).not.toContain('us-strict-event');

    // Nothing US-only reached the guest's browser: no response, no socket frame names it or its ids.
    const all = seen.join('\n') + frames.join('\n');
    for (const secret of ['jump-us-strict', strictHost, 'us-only-enclave-net', hidden, 'us-strict-event'])
      expect({ secret, leaked: all.includes(secret) }).toEqual({ secret, leaked: false });
    // ...and the check looks where it should: what LV may see is there.
    expect(all).toContain('dc01-for-lv');
    expect(pageErrors(official)).toEqual([]);
    expect(pageErrors(alice)).toEqual([]);
  }, 120_000);
});

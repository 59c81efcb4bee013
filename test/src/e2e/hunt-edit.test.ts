/**
 * Editing and deleting hunt items in real Chromium, two teams and an observer at once: a host's
 * fields, a finding's fields and links (an indicator unlinked, techniques changed), a timeline event;
 * refused changes show the server's sentence and change nothing; deletes reach the other team live;
 * an observer sees none of the controls, and a hunter of another team no delete it may not make.
 */
import { describe, expect, it } from 'vitest';
import { loginAs } from '../helpers/http.js';
import { huntBrowser } from '../helpers/huntBrowser.js';
import { browserSuite, cspViolations, pageErrors } from '../helpers/browser.js';

describe('editing and deleting hunt items in the browser', () => {
  const suite = browserSuite();
  const { ws, open, socketOf, command } = huntBrowser(suite, 'hunt-edit-e2e');

  it('a host, a finding and an event edited and deleted by one team appear live for the other; refusals change nothing; observers see no controls', async () => {
    const alice = await socketOf('alice');
    const owner = await loginAs(suite.server.url, 'alice');
    // Līga (LV) reads only: an observer, whether the demo made her a member already or not.
    const added = await owner.post(`/api/workspaces/${ws()}/members`, { username: 'liga', role: 'observer' });
    if (added.status === 409) expect((await owner.patch(`/api/workspaces/${ws()}/members/liga`, { role: 'observer' })).status).toBe(200);
    else expect(added.status).toBe(201);
    const { network } = await command<{ network: { id: string } }>(alice, 'network:create', { name: 'Edit lab' });
    const { host } = await command<{ host: { id: string } }>(alice, 'host:create', { networkId: network.id, hostname: 'web01', addresses: ['10.20.0.1'] });
    await command(alice, 'host:create', { networkId: network.id, hostname: 'web02', addresses: ['10.20.0.2'] });
    const sha = 'b'.repeat(64);
    const { indicator } = await command<{ indicator: { id: string } }>(alice, 'indicator:create', { type: 'sha256', value: sha });
    await command(alice, 'finding:create', { hostId: host.id, kind: 'malware', title: 'Dropper on web01', indicatorIds: [indicator.id], techniques: ['T1059'] });
    await command(alice, 'timeline:create', { at: '2026-03-01T10:00:00Z', hostId: host.id, description: 'Edit lab event one', source: 'edr' });

    const us = await open('alice', `/n/${network.id}`);
    const ca = await open('ben', `/n/${network.id}`);
    const lv = await open('liga', `/n/${network.id}`);

    // US edits web01's fields; CA, with the host open, sees them change.
    await ca.getByTestId('host-row-web01').click();
    await us.getByTestId('host-row-web01').click();
    await us.getByTestId('host-edit').click();
    await us.getByTestId('host-edit-os').fill('Ubuntu 24.04');
    await us.getByTestId('host-edit-role').selectOption('web');
    await us.getByTestId('host-edit-criticality').selectOption('critical');
    await us.getByTestId('host-edit-notes').fill('Front web server of the ministry');
    await us.getByTestId('host-edit-addresses').fill('10.20.0.1, 10.20.0.11');
    await us.getByTestId('host-edit-save').click();
    await expect.poll(() => us.getByTestId('host-edit-form').count()).toBe(0);
    const caDetail = ca.getByTestId('host-detail');
    await expect.poll(() => caDetail.textContent(), { timeout: 10_000 }).toContain('Ubuntu 24.04');
    expect(await caDetail.textContent()).toContain('web · critical criticality');
    expect(await caDetail.textContent()).toContain('10.20.0.1, 10.20.0.11');
    expect(await caDetail.textContent()).toContain('Front web server of the ministry');

    // A rename onto web02's name is refused with the server's sentence; nothing changes anywhere.
    await us.getByTestId('host-edit').click();
    await us.getByTestId('host-edit-hostname').fill('web02');
    await us.getByTestId('host-edit-save').click();
    await expect.poll(() => us.getByTestId('host-edit-form').locator('.error-banner').textContent()).toContain('another host of this network already has that hostname or address');
    await us.getByTestId('host-edit-form').getByRole('button', { name: 'Cancel' }).click();
    expect(await us.getByTestId('host-detail').locator('h2').textContent()).toBe('web01');
    expect(await caDetail.locator('h2').textContent()).toBe('web01');
    // A delete refused while a finding and an event still refer to the host.
    await us.getByTestId('host-delete').click();
    await us.getByTestId('host-delete-confirm').click();
    await expect.poll(() => us.getByTestId('host-detail').locator('.error-banner').textContent()).toContain('findings or timeline events still refer to this host');
    expect(await ca.getByTestId('host-count').textContent()).toBe('2 shown of 2');

    // CA (a hunter, not the owner team) may edit but not delete US's host; the observer may do neither.
    expect(await caDetail.getByTestId('host-edit').count()).toBe(1);
    expect(await caDetail.getByTestId('host-delete').count()).toBe(0);
    await lv.getByTestId('host-row-web01').click();
    await lv.getByTestId('host-detail').waitFor();
    for (const id of ['host-edit', 'host-delete', 'host-add', 'host-paste', 'host-import', 'finding-add', 'host-state']) expect(await lv.getByTestId(id).count(), id).toBe(0);

    // US edits the finding: title, severity, status, techniques, and unlinks the indicator.
    await us
      .getByTestId('finding-Dropper on web01')
      .getByRole('button', { name: /Dropper on web01/ })
      .click();
    await expect.poll(() => us.getByTestId('finding-indicators').textContent()).toContain(`sha256:${sha}`);
    await us.getByTestId('finding-edit').click();
    await us.getByTestId('finding-edit-title').fill('Webshell on web01');
    await us.getByTestId('finding-edit-severity').selectOption('critical');
    await us.getByTestId('finding-edit-status').selectOption('confirmed');
    await us.getByTestId('finding-edit-techniques').fill('T1505.003, T1059');
    await us.getByRole('button', { name: `Unlink sha256:${sha}` }).click();
    await us.getByTestId('finding-edit-save').click();
    const caFinding = ca.getByTestId('finding-Webshell on web01');
    await caFinding.waitFor({ timeout: 10_000 });
    expect(await caFinding.getByTestId('finding-status').textContent()).toBe('confirmed');
    await caFinding.getByRole('button', { name: /Webshell on web01/ }).click();
    expect(await caFinding.getByTestId('finding-indicators').textContent()).toContain('0 linked indicators');
    expect(await caFinding.getByTestId('finding-techniques-shown').textContent()).toBe('Techniques: T1505.003, T1059');
    expect(await caFinding.getByTestId('finding-delete').count()).toBe(0);
    await lv
      .getByTestId('finding-Webshell on web01')
      .getByRole('button', { name: /Webshell on web01/ })
      .click();
    for (const id of ['finding-edit', 'finding-delete', 'finding-to-timeline']) expect(await lv.getByTestId(id).count(), id).toBe(0);

    // The timeline event: edited by US, seen by CA; the observer gets no controls; then deleted.
    const usTl = await open('alice', '/timeline');
    const caTl = await open('ben', '/timeline');
    const lvTl = await open('liga', '/timeline');
    for (const p of [usTl, caTl, lvTl]) {
      await p.getByTestId('tl-view-list').click();
      await p.getByTestId('tl-search').fill('Edit lab event');
      await expect.poll(() => p.getByTestId('tl-count').textContent()).toMatch(/^1 shown of/);
    }
    for (const id of ['event-add', 'event-import']) expect(await lvTl.getByTestId(id).count(), id).toBe(0);
    await lvTl.getByTestId('tl-row-Edit lab event one').click();
    await lvTl.getByTestId('tl-detail').waitFor();
    expect(await lvTl.getByTestId('event-edit').count()).toBe(0);
    expect(await lvTl.getByTestId('event-delete').count()).toBe(0);
    await usTl.getByTestId('tl-row-Edit lab event one').click();
    await usTl.getByTestId('event-edit').click();
    await usTl.getByTestId('event-edit-description').fill('Edit lab event edited: webshell dropped');
    await usTl.getByTestId('event-edit-zone').fill('Europe/Riga');
    await usTl.getByTestId('event-edit-save').click();
    await caTl.getByTestId('tl-row-Edit lab event edited: webshell dropped').waitFor({ timeout: 10_000 });
    await expect.poll(() => lvTl.getByTestId('tl-detail-description').textContent(), { timeout: 10_000 }).toBe('Edit lab event edited: webshell dropped');
    expect(await lvTl.getByTestId('tl-detail').textContent()).toContain('source zone Europe/Riga');
    // A refused edit (a zone that is none) shows the sentence and changes nothing.
    await usTl.getByTestId('event-edit').click();
    await usTl.getByTestId('event-edit-zone').fill('Mars/Olympus');
    await usTl.getByTestId('event-edit-save').click();
    await expect.poll(() => usTl.getByTestId('event-edit-form').locator('.error-banner').count()).toBe(1);
    await usTl.getByTestId('event-edit-form').getByRole('button', { name: 'Cancel' }).click();
    expect(await usTl.getByTestId('tl-detail').textContent()).toContain('source zone Europe/Riga');
    await usTl.getByTestId('event-delete').click();
    await usTl.getByTestId('event-delete-confirm').click();
    await expect.poll(() => caTl.getByTestId('tl-count').textContent(), { timeout: 10_000 }).toMatch(/^0 shown of/);
    await expect.poll(() => lvTl.getByTestId('tl-detail').count(), { timeout: 10_000 }).toBe(0);

    // The finding, then the host, deleted by US: gone for CA live (CA's open panel closes).
    await us.getByTestId('finding-delete').click();
    await us.getByTestId('finding-delete-confirm').click();
    await expect.poll(() => caFinding.count(), { timeout: 10_000 }).toBe(0);
    await us.getByTestId('host-delete').click();
    await us.getByTestId('host-delete-confirm').click();
    await expect.poll(() => ca.getByTestId('host-count').textContent(), { timeout: 10_000 }).toBe('1 shown of 1');
    expect(await ca.getByTestId('host-detail').count()).toBe(0);
    expect(await ca.getByTestId('host-row-web01').count()).toBe(0);

    for (const p of [us, ca, lv, usTl, caTl, lvTl]) {
      expect(pageErrors(p)).toEqual([]);
      expect(cspViolations(p)).toEqual([]);
    }
  }, 180_000);
});

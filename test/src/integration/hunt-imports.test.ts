/**
 * Hunt imports through the server (issue 18, items 2 and 5), with the real files of
 * test/fixtures/hunt: an nmap scan and a hosts CSV into hosts of a network (deduplicated by hostname and
 * address), a plaso super-timeline into events matched to the host it names, each row judged on its
 * own; a dry run saves nothing; the caller is refused before the body is read when its role may not
 * write; a marking given for the import is what the other teams' reads honour.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { ApiClient } from '../helpers/http.js';
import { accountViaInvite } from '../helpers/foundation.js';
import { login } from './indicators-helpers.js';
import { huntCommand } from './samples-helpers.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/hunt/${name}`, import.meta.url), 'utf8');

describe('hunt imports: nmap, hosts CSV, super-timeline', () => {
  let server: TestServer;
  let ws: string;
  let alice: ApiClient;
  let ben: ApiClient;
  let network: string;

  beforeAll(async () => {
    server = await startTestServer();
    ws = server.demo!.workspaceId;
    alice = await login(server.url, 'alice');
    ben = await login(server.url, 'ben');
    network = (await huntCommand(server.url, alice, ws, 'network:create', { name: 'Partner HQ LAN', tlp: 'GREEN' })).network.id;
  }, 60_000);
  afterAll(async () => server.stop());

  it('an nmap scan becomes hosts with addresses, OS and open ports; two scanned hosts sharing a MAC are one host', async () => {
    const res = await alice.post(`/api/workspaces/${ws}/hosts/import`, { networkId: network, format: 'nmap', content: fixture('nmap/xml_test11.xml') });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ format: 'nmap', read: 4, problems: [], rejected: 0, dryRun: false });
    // 10.0.0.140 answered with canopo's MAC address: the host commands find it as canopo (dedup by address).
    expect(res.body.results.map((r: { row: number; outcome: string }) => [r.row, r.outcome])).toEqual([
      [1, 'created'],
      [2, 'created'],
      [3, 'merged'],
      [4, 'created'],
    ]);
    const hosts = (await alice.get(`/api/workspaces/${ws}/hosts?network=${network}`)).body.items as { hostname: string; addresses: string[]; os: string; notes: string }[];
    const canopo = hosts.find((h) => h.hostname === 'canopo')!;
    expect(canopo.addresses).toEqual(expect.arrayContaining(['10.0.0.100', '00:e0:7d:f5:00:7d']));
    expect(canopo.os).toBe('Linux 2.4.18 - 2.6.7');
    expect(canopo.notes).toContain('Open ports: 22/tcp ssh (OpenSSH 3.9p1 protocol 1.99), 80/tcp http (Apache httpd 2.0.52 (Red Hat))');
    // The same scan again: every host found again, nothing new.
    const again = await alice.post(`/api/workspaces/${ws}/hosts/import`, { networkId: network, format: 'nmap', content: fixture('nmap/xml_test11.xml') });
    expect(again.body).toMatchObject({ created: 0, rejected: 0 });
  });

  it('a hosts CSV: good rows saved, bad rows reported with their row and reason; a dry run saves nothing', async () => {
    const csv = 'Computer Name,IP Address,Role,TLP\nfin-dc01,10.20.0.10,DC,\nfin-mail,10.20.0.25,mail,\nbroken,10.20.0.300,workstation,\nfin-ot1,10.30.0.5,toaster,\n';
    const dry = await alice.post(`/api/workspaces/${ws}/hosts/import`, { networkId: network, format: 'csv', content: csv, dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ read: 2, created: 0, dryRun: true, results: [] });
    const before = (await alice.get(`/api/workspaces/${ws}/hosts?network=${network}`)).body.items.length;
    const res = await alice.post(`/api/workspaces/${ws}/hosts/import`, { networkId: network, format: 'csv', content: csv });
    expect(res.status).toBe(201);
    expect(res.body.problems).toEqual([
      { row: 4, reason: '"10.20.0.300" is not an IPv4, IPv6 or MAC address' },
      { row: 5, reason: expect.stringMatching(/^unknown role "toaster"/) },
    ]);
    expect(res.body).toMatchObject({ read: 2, created: 2 });
    expect((await alice.get(`/api/workspaces/${ws}/hosts?network=${network}`)).body.items.length).toBe(before + 2);
  });

  it('a plaso l2tcsv super-timeline becomes events in UTC with the zone kept, on the host it names', async () => {
    const host = (await huntCommand(server.url, alice, ws, 'host:create', { networkId: network, hostname: 'MyHostname.myhost.com', tlp: 'GREEN' })).host.id as string;
    const res = await alice.post(`/api/workspaces/${ws}/timeline/import`, { content: fixture('plaso/l2tcsv_time_zone.csv') });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ format: 'l2tcsv', read: 19, created: 19, rejected: 0, problems: [] });
    // Names no host of the workspace has (plaso writes ":" for syslog's "last message repeated") are
    // reported; their events are kept without a host. The file-stat rows name none ("-").
    expect(res.body.unknownHosts).toEqual([':', 'victoria']);
    const events = (await alice.get(`/api/workspaces/${ws}/timeline?limit=100`)).body.items as {
      at: string;
      sourceTimeZone: string;
      description: string;
      hostId: string | null;
      source: string;
    }[];
    const cron = events.find((e) => e.description === 'Content Modification Time: Cron ran: touch /var/run/crond.somecheck for user: root pid: 31051')!;
    expect(cron).toMatchObject({ at: '2012-01-22T07:53:01.000Z', sourceTimeZone: '+01:00', hostId: host, source: 'LOG / Cron log' });
    expect(events.filter((e) => e.hostId === host)).toHaveLength(11);
    expect(events.filter((e) => e.sourceTimeZone === '+02:00').map((e) => e.at)).toEqual(['2026-07-02T17:47:57.000Z', '2026-07-02T17:47:58.000Z', '2026-07-02T17:48:00.000Z']);
  });

  it('a file that is no super-timeline is refused with the shapes it may take, and nothing is saved', async () => {
    const res = await alice.post(`/api/workspaces/${ws}/timeline/import`, { content: 'when,what\n2024-01-01,x\n' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/none of the known shapes: plaso l2tcsv/);
    const xml = await alice.post(`/api/workspaces/${ws}/hosts/import`, { networkId: network, format: 'nmap', content: '<!DOCTYPE x [<!ENTITY a "a">]><nmaprun/>' });
    expect(xml.status).toBe(400);
    expect(xml.body.error.message).toMatch(/declares XML entities/);
  });

  it('an import marked for the US only is not seen by another team', async () => {
    const res = await alice.post(`/api/workspaces/${ws}/hosts/import`, {
      networkId: network,
      format: 'csv',
      content: 'hostname,ip\nus-secret-host,10.99.0.1\n',
      tlp: 'AMBER',
      releasableTo: ['US'],
    });
    expect(res.body.created).toBe(1);
    const seen = (await ben.get(`/api/workspaces/${ws}/hosts?network=${network}&limit=1000`)).body.items as { hostname: string }[];
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.some((h) => h.hostname === 'us-secret-host')).toBe(false);
    // CA's timeline naming that host is not matched to it: the name is as unknown as one nobody has.
    const tl = 'message,datetime,timestamp_desc,hostname\nbeacon seen,2026-11-20T10:00:00+02:00,Event Recorded,us-secret-host\n';
    const imported = await ben.post(`/api/workspaces/${ws}/timeline/import`, { content: tl });
    expect(imported.body).toMatchObject({ created: 1, unknownHosts: ['us-secret-host'] });
    const event = (await ben.get(`/api/workspaces/${ws}/timeline?limit=1000`)).body.items.find((e: { description: string }) => e.description === 'Event Recorded: beacon seen');
    expect(event).toMatchObject({ at: '2026-11-20T08:00:00.000Z', sourceTimeZone: '+02:00', hostId: null });
  });

  it("another team's hunter importing into a network it may not see gets every row refused as if the network did not exist", async () => {
    const usNet = (await huntCommand(server.url, alice, ws, 'network:create', { name: 'US-only enclave', tlp: 'AMBER', releasableTo: ['US'] })).network.id as string;
    const res = await ben.post(`/api/workspaces/${ws}/hosts/import`, { networkId: usNet, format: 'csv', content: 'hostname,ip\nca-probe,10.50.0.1\n' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ created: 0, rejected: 1 });
    expect(res.body.results[0].reason).toMatch(/network not found/);
    expect(JSON.stringify(res.body)).not.toContain('US-only enclave');
  });

  it('an observer, a non-member and anonymous are refused before the body is read', async () => {
    const observer = await accountViaInvite(server.url, alice, ws, { team: 'CA', role: 'observer' });
    const body = { networkId: network, format: 'csv', content: 'hostname\nx1\n' };
    expect((await observer.post(`/api/workspaces/${ws}/hosts/import`, body)).status).toBe(403);
    expect((await observer.post(`/api/workspaces/${ws}/timeline/import`, { content: 'x' })).status).toBe(403);
    const anon = await fetch(`${server.url}/api/workspaces/${ws}/hosts/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(anon.status).toBe(401);
    expect((await alice.post(`/api/workspaces/no-such-workspace/hosts/import`, body)).status).toBe(404);
  });
});

/** Hosts CSV import: header mapping, a mapping chosen by the person, and rows judged one by one. */
import { describe, expect, it } from 'vitest';
import { proposeHostsMapping, readHostsCsv } from './hostsCsv.js';

describe('hosts CSV', () => {
  it('proposes a mapping from the names inventories write, several address columns included', () => {
    expect(proposeHostsMapping(['Computer Name', 'IP Address', 'MAC', 'Operating System', 'Role', 'Priority', 'Status', 'Comment', 'TLP', 'Owner'])).toEqual([
      'hostname',
      'address',
      'address',
      'os',
      'role',
      'criticality',
      'state',
      'notes',
      'tlp',
      'ignore',
    ]);
    // A first row of data is not a header.
    expect(proposeHostsMapping(['dc01', '10.0.0.1'])).toBeUndefined();
  });

  it('reads every good row and reports each bad one with its row and reason', () => {
    const csv = [
      'hostname,ip,mac,os,role,criticality,state,notes,tlp',
      'DC01.corp.example,10.0.0.10;10.0.0.11,00-1A-2B-3C-4D-5E,Windows Server 2019,DC,critical,not examined,"PDC emulator, site A",amber',
      'mail01,2001:DB8:0:0::25,,Exchange 2016,mail,high,,,',
      'ws-17,10.0.0.300,,,,,,,',
      ',,,,workstation,,,,',
      'plc-4,10.1.0.4,,,toaster,,,,',
      'web01,10.0.0.80,,,web,urgent,,,',
      'web02,10.0.0.81,,,web,,owned,,',
      'web03,10.0.0.82,,,web,,,,PURPLE',
      'jump01,,,Debian 12,server,low,clean,"two\nlines",red',
    ].join('\n');
    const r = readHostsCsv(csv);
    expect(r.problems).toEqual([
      { row: 4, reason: '"10.0.0.300" is not an IPv4, IPv6 or MAC address' },
      { row: 5, reason: 'no hostname and no address' },
      { row: 6, reason: expect.stringMatching(/^unknown role "toaster" \(domain-controller, /) },
      { row: 7, reason: 'unknown criticality "urgent" (low, medium, high, critical)' },
      { row: 8, reason: expect.stringMatching(/^unknown state "owned"/) },
      { row: 9, reason: 'unknown TLP "PURPLE" (CLEAR, GREEN, AMBER, AMBER+STRICT, RED)' },
    ]);
    expect(r.hosts).toEqual([
      {
        row: 2,
        hostname: 'DC01.corp.example',
        addresses: ['10.0.0.10', '10.0.0.11', '00:1a:2b:3c:4d:5e'],
        os: 'Windows Server 2019',
        role: 'domain-controller',
        criticality: 'critical',
        state: 'not-examined',
        notes: 'PDC emulator, site A',
        tlp: 'AMBER',
      },
      { row: 3, hostname: 'mail01', addresses: ['2001:db8::25'], os: 'Exchange 2016', role: 'mail', criticality: 'high' },
      { row: 10, hostname: 'jump01', addresses: [], os: 'Debian 12', role: 'server', criticality: 'low', state: 'examined-clean', notes: 'two\nlines', tlp: 'RED' },
    ]);
  });

  it('takes the mapping the person chose for a file without a header', () => {
    const r = readHostsCsv('10.0.0.5,fileserver,file\n10.0.0.6,printer,other\n', ['address', 'hostname', 'role']);
    expect(r.header).toBeUndefined();
    expect(r.hosts.map((h) => [h.row, h.hostname, h.addresses, h.role])).toEqual([
      [1, 'fileserver', ['10.0.0.5'], 'file'],
      [2, 'printer', ['10.0.0.6'], 'other'],
    ]);
  });

  it('refuses a file with no host or address column, an empty file and an unknown mapping', () => {
    expect(() => readHostsCsv('owner,room\nbob,12\n')).toThrow(/no column holds host names or addresses/);
    expect(() => readHostsCsv('')).toThrow(/empty/);
    expect(() => readHostsCsv('a,b\n', ['hostname', 'colour' as never])).toThrow(/unknown column meaning "colour"/);
  });
});

import { describe, expect, it } from 'vitest';
import { parseCsvRows, readTimelineCsv } from '@huntroom/shared';
import { mappingProblem, proposeTimelineMapping, toTimesketchCsv } from './timelineMapping.js';

describe('generic timeline CSV through a mapping', () => {
  const rows = parseCsvRows('When,Computer,What happened,Analyst\n2026-03-01 10:00:00,dc01,"Logon, type 10",kim\nnot a date,ws01,Second,kim\n');

  it('proposes the meanings from the header and leaves unknown columns out', () => {
    expect(proposeTimelineMapping(rows[0]!)).toEqual(['datetime', 'hostname', 'ignore', 'ignore']);
  });

  it('writes Timesketch rows the server reads, keeping source row numbers and quoting cells', () => {
    const csv = toTimesketchCsv(rows.slice(1), ['datetime', 'hostname', 'message', 'username']);
    expect(csv.split('\r\n')[0]).toBe('datetime,message,hostname,username');
    const read = readTimelineCsv(csv, { timeZone: 'Europe/Riga' });
    expect(read.format).toBe('timesketch');
    expect(read.events).toHaveLength(1);
    expect(read.events[0]).toMatchObject({ row: 2, at: '2026-03-01T08:00:00.000Z', description: 'Logon, type 10', host: 'dc01' });
    expect(read.problems.map((p) => p.row)).toEqual([3]);
  });

  it('a mapping without a time or a description cannot be sent', () => {
    expect(mappingProblem(['hostname', 'message'])).toMatch(/time/);
    expect(mappingProblem(['datetime', 'hostname'])).toMatch(/description/);
    expect(mappingProblem(['datetime', 'message'])).toBeUndefined();
  });
});

/**
 * Bodies of the hunt import routes (`POST …/hosts/import`, `POST …/timeline/import`) and their answers.
 * The content travels as a string in JSON, read in the server's worker pool like the indicator import.
 */
import * as z from 'zod';
import { tlpLevelSchema } from '../../markings/tlp.js';
import { teamCodesSchema } from '../../records/indicators.js';
import { timeZoneSchema } from '../schema.js';
import { HOST_CSV_FIELDS } from './hostsCsv.js';
import type { ImportProblem } from './problems.js';

export const HUNT_IMPORT_LIMITS = {
  /** Largest content of one import (a super-timeline of about 200,000 rows). */
  contentBytes: 50 * 1024 * 1024,
} as const;

const marking = { tlp: tlpLevelSchema.optional(), releasableTo: teamCodesSchema.optional() };

export const hostsImportRequestSchema = z.object({
  networkId: z.string().min(1).max(64),
  format: z.enum(['nmap', 'csv']),
  content: z.string().min(1, 'the content is empty'),
  /** CSV only: one meaning per column (hostname, address, os, role, ...); proposed from the header when absent. */
  mapping: z.array(z.enum(HOST_CSV_FIELDS)).max(500).optional(),
  /** Read and report without saving anything. */
  dryRun: z.boolean().optional(),
  ...marking,
});
export type HostsImportRequest = z.infer<typeof hostsImportRequestSchema>;

export const timelineImportRequestSchema = z.object({
  format: z.literal('csv').optional(),
  content: z.string().min(1, 'the content is empty'),
  /** The zone of times written without one (IANA name or offset). */
  timeZone: timeZoneSchema.optional(),
  dryRun: z.boolean().optional(),
  ...marking,
});
export type TimelineImportRequest = z.infer<typeof timelineImportRequestSchema>;

/** One row of an import's outcome: where it came from and what became of it. */
export interface ImportRowOutcome {
  row: number;
  outcome: 'created' | 'merged' | 'exists-hidden' | 'rejected';
  id?: string;
  reason?: string;
}

export interface HuntImportResult {
  /** What the content was read as (`nmap`, `csv`, `l2tcsv`, `plaso-dynamic`, `timesketch`). */
  format: string;
  read: number;
  /** Rows (or scanned hosts) that could not be read, with the reason; never saved. */
  problems: ImportProblem[];
  created: number;
  merged: number;
  rejected: number;
  /** Per row that was read: what the save did (empty on a dry run). */
  results: ImportRowOutcome[];
  /** Timeline only: host names of the file that match no host the caller sees (events kept without a host). */
  unknownHosts?: string[];
  dryRun: boolean;
}

/**
 * The contract of `POST /api/workspaces/:id/indicators/import`: the request (a JSON body, or the same
 * fields in a multipart form with the content as its `file`), the answer, and the lines of the progress
 * stream a browser asks for with `Accept: application/x-ndjson`. Shared so the dialog and the server
 * read one definition.
 */
import * as z from 'zod';
import type { ErrorBody } from '../../errors/codes.js';
import { tlpLevelSchema } from '../../markings/tlp.js';
import { INDICATOR_LIMITS, indicatorStatusSchema, tagSchema, teamCodesSchema } from '../../records/indicators.js';
import { isIndicatorType } from '../types.js';
import { CSV_FIELDS, type CsvField } from './csv.js';
import { IMPORT_FORMATS, type ImportFormat } from './parseImport.js';

export const IMPORT_LIMITS = {
  /** Columns of a CSV mapping. */
  mappingMax: 1_000,
  /** Keys the user unticked: at most one per candidate of the largest import. */
  excludeMax: 1_000_000,
  /**
   * Distinct values one import may hold: twice the 100,000 a hunt's largest paste has. A 32 MB list of
   * bare addresses would be four million, minutes of saving and gigabytes of candidates: split it.
   */
  candidatesMax: 200_000,
  /** Rejected and skipped rows listed in the answer; the counts beyond are in `rejectedTotal`/`skippedTotal`. */
  listedMax: 10_000,
} as const;

const csvFieldSchema = z.string().refine((f): f is CsvField => (CSV_FIELDS as readonly string[]).includes(f) || (f.startsWith('value:') && isIndicatorType(f.slice(6))), {
  message: `a column is one of ${CSV_FIELDS.join(', ')} or value:<type>`,
});

export const importRequestSchema = z
  .object({
    format: z.enum([...IMPORT_FORMATS, 'auto']),
    content: z.string(),
    /** The file's name, when the content is a file: `auto` reads a `.csv` name as CSV. */
    name: z.string().max(255).optional(),
    defaults: z
      .object({
        marking: z.object({ tlp: tlpLevelSchema.optional(), releasableTo: teamCodesSchema.optional() }).strict().optional(),
        status: indicatorStatusSchema.optional(),
        /** Tags added to every imported row (beside the row's own). */
        tags: z.array(tagSchema).max(INDICATOR_LIMITS.tagsMax).optional(),
      })
      .strict()
      .optional(),
    mapping: z.array(csvFieldSchema).max(IMPORT_LIMITS.mappingMax).optional(),
    exclude: z.array(z.string().max(10_000)).max(IMPORT_LIMITS.excludeMax).optional(),
    keepBenign: z.boolean().optional(),
    dryRun: z.boolean().optional(),
  })
  .strict();
export type ImportRequest = z.infer<typeof importRequestSchema>;

export interface ImportResult {
  /** New indicators (would be, on a dry run). */
  created: number;
  /** Values already in the workspace (or twice in the file): a sighting by the importing team, never a second row. */
  merged: number;
  rejected: { value: string; reason: string }[];
  skipped: { value: string; reason: string }[];
  /** Sightings the file recorded (MISP, STIX sighting objects) saved on the imported indicators. */
  sightings: number;
  /** The format read (what `auto` recognized). */
  format: ImportFormat;
  dryRun: boolean;
  /** All rejected and skipped rows, when more than the lists hold (IMPORT_LIMITS.listedMax). */
  rejectedTotal: number;
  skippedTotal: number;
}

export type ImportPhase = 'parse' | 'save';
/** One line of the progress stream: progress lines, then exactly one result or error line. */
export type ImportStreamLine = { progress: { phase: ImportPhase; done: number; total: number } } | { result: ImportResult } | { error: ErrorBody & { status: number } };

export const IMPORT_STREAM_TYPE = 'application/x-ndjson';

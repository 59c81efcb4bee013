/**
 * Structured imports into candidates, one file per format in import/: CSV (RFC 4180), STIX 2.1 bundles
 * (indicator patterns and observables) and MISP event JSON. A malformed input is refused with where it
 * went wrong; nothing partial is returned.
 */
export { ImportError } from './import/errors.js';
export { parseCsvRows, importCsv, readCsv, proposeCsvMapping, CSV_FIELDS, type CsvField, type CsvMapping, type CsvReading, type CsvSkipped } from './import/csv.js';
export { importStix } from './import/stix.js';
export { importMisp, MISP_TO_IDS_OFF_TAG } from './import/misp.js';
export {
  parseImport,
  planImport,
  detectFormat,
  candidateKey,
  IMPORT_FORMATS,
  type ImportFormat,
  type ImportCandidate,
  type ParsedImport,
  type ParseImportOptions,
  type ImportChoices,
  type ImportPlan,
} from './import/parseImport.js';
export { importRequestSchema, IMPORT_LIMITS, IMPORT_STREAM_TYPE, type ImportRequest, type ImportResult, type ImportPhase, type ImportStreamLine } from './import/request.js';

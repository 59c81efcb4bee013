/**
 * The names of the export formats, apart from their builders (index.ts): the routes check a request
 * against these on the main thread, while the builders (and fflate) load only in the worker thread
 * that builds a file, so a node starts without them (docs/performance.md, start-up).
 */
export const EXPORT_FORMATS = ['stix', 'misp', 'csv', 'hosts.csv', 'timeline.csv', 'layer', 'report.md', 'report.html', 'package.zip'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

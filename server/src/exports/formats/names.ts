/**
 * The names of the export formats, apart from their builders (index.ts): the routes check a request
 * against these on the main thread, while the builders (and fflate) load only in the worker thread
 * that builds a file, so a node starts without them (docs/performance.md, start-up).
 */
export const EXPORT_FORMATS = ['stix', 'misp', 'csv', 'hosts.csv', 'timeline.csv', 'layer', 'report.md', 'report.html', 'package.zip'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * Formats sent gzipped to a client that accepts gzip (every browser, `curl --compressed`): all but the
 * package, a ZIP already. STIX and MISP of 100,000 indicators are 80-150 MB of JSON that gzip makes a
 * tenth of that or less: ten times faster over a bad link, and a tenth of the bytes for the node's
 * main thread to write (docs/performance.md, "Exports gzipped").
 */
export const sentGzipped = (format: ExportFormat): boolean => format !== 'package.zip';

/**
 * Hunt imports (issue 18): nmap XML and CSV lists into hosts, super-timeline CSV into events. Pure,
 * synchronous, linear. The nmap reader is not here but at '@huntroom/shared/nmap': its XML parser is
 * about 40 modules that every importer of the package would load (the server at start, issue 21),
 * while only the import task and the browser's hosts worker read XML.
 */
export * from './problems.js';
export * from './hostItem.js';
export * from './hostsCsv.js';
export * from './time.js';
export * from './timelineCsv.js';
export * from './request.js';

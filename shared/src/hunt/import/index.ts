/** Hunt imports (issue 18): nmap XML and CSV lists into hosts, super-timeline CSV into events. Pure, synchronous, linear. */
export * from './problems.js';
export * from './hostItem.js';
export * from './nmap.js';
export * from './hostsCsv.js';
export * from './time.js';
export * from './timelineCsv.js';
export * from './request.js';

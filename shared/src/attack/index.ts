/** ATT&CK contracts shared by server and client. */
export * from './schema.js';

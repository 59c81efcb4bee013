/** ATT&CK contracts shared by server and client. */
export * from './schema.js';
export * from './marks.js';
export * from './layer.js';
export * from './overlap.js';

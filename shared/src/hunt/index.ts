/** Hunt operations (issue 18): vocabularies, state rules, host identity, commands and views. */
export * from './enums.js';
export * from './state.js';
export * from './identity.js';
export * from './schema.js';
export * from './views.js';
export * from './import/index.js';
export * from './samples.js';

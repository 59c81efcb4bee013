export * from './limits.js';
export * from './errors/codes.js';
export * from './markings/tlp.js';
export * from './teams/schema.js';
export * from './auth/schema.js';
export * from './workspaces/schema.js';
export * from './realtime/events.js';

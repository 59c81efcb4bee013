/** The indicator library: types, refang/defang, normalization, benign checks, extraction, imports. */
export * from './types.js';
export * from './refang.js';
export { canonicalIPv4, canonicalIPv6 } from './ip.js';
export { isKnownTld } from './tlds.js';
export * from './normalize.js';
export * from './portTags.js';
export * from './benign.js';
export * from './candidates.js';
export * from './extract.js';
export * from './importFormats.js';
export { HUNTROOM_EXTENSION_ID, huntroomExtension, huntroomExtensionDefinition, HUNTROOM_IDENTITY, readHuntroomExtension } from './import/stix.js';
export * from './validity.js';

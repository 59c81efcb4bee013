/** STIX 2.1 import (one file per concern in stix/) and Huntroom's STIX property extension, shared with the export. */
export { importStix } from './stix/index.js';
export {
  HUNTROOM_EXTENSION_ID,
  HUNTROOM_EXTENSION_SCHEMA,
  huntroomExtension,
  huntroomExtensionDefinition,
  HUNTROOM_IDENTITY,
  readHuntroomExtension,
  type HuntroomExtension,
} from './stix/extension.js';
export { parseStixText } from './stix/text.js';

/**
 * A STIX file's text as JSON, or a sentence saying why not. STIX 1.x is XML with another model (MISP and
 * older feeds still write it): named as such rather than reported as broken JSON.
 */
import { ImportError } from '../errors.js';

export function parseStixText(text: string): unknown {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('<')) {
    throw new ImportError(
      /<(stix:)?STIX_Package\b/.test(start.slice(0, 4_000))
        ? 'STIX: this is STIX 1.x (XML), which Huntroom does not read: it reads STIX 2.1 JSON bundles (2.0 is read as 2.1); convert the file first (for example with the OASIS stix2-elevator)'
        : 'STIX: this is XML, not a STIX 2.1 JSON bundle',
    );
  }
  try {
    return JSON.parse(start) as unknown;
  } catch (err) {
    const refused = new ImportError(`STIX: the file is not valid JSON (${err instanceof Error ? err.message : String(err)}); Huntroom reads STIX 2.1 JSON bundles`);
    refused.cause = err;
    throw refused;
  }
}

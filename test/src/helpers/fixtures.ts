/** The real interop files of test/fixtures/interop/<folder>/ (csv, misp, navigator, stix), read by every suite the same way. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const path = (folder: string, name: string) => fileURLToPath(new URL(`../../fixtures/interop/${folder}/${name}`, import.meta.url));

/** The file's bytes, as a browser test hands them to a file input. */
export const interopFixture = (folder: string, name: string): Buffer => readFileSync(path(folder, name));

/** The file's text, as a script posts it to the import route. */
export const interopFixtureText = (folder: string, name: string): string => readFileSync(path(folder, name), 'utf8');

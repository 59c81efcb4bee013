/**
 * Compiles receivers.c on first use into bench/build/native/ (ignored by git), named by a hash of the
 * source and the flags, so an edit of the source compiles again and an unchanged one never does. The
 * bench is developer tooling: a machine without a C compiler runs the lean Node receivers instead
 * (thin.mjs says which ran).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// The compiler loop the server's build uses too.
import { compileC } from '../../../../server/native/compileC.mjs';

const SOURCE = fileURLToPath(new URL('./receivers.c', import.meta.url));
const BUILD_DIR = fileURLToPath(new URL('../../../build/native/', import.meta.url));
const FLAGS = ['-O2', '-Wall', '-std=gnu11'];

/** `{ path }` of the compiled program, or `{ why }` it could not be had. */
export function nativeBinary() {
  const hash = createHash('sha256').update(readFileSync(SOURCE)).update(FLAGS.join(' ')).digest('hex').slice(0, 12);
  const path = `${BUILD_DIR}receivers-${hash}`;
  if (existsSync(path)) return { path };
  mkdirSync(BUILD_DIR, { recursive: true });
  const why = compileC({ source: SOURCE, out: path, flags: FLAGS });
  return why ? { why } : { path };
}

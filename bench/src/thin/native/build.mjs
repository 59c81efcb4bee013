/**
 * Compiles receivers.c on first use into bench/build/native/ (ignored by git), named by a hash of the
 * source and the flags, so an edit of the source compiles again and an unchanged one never does. The
 * bench is developer tooling: a machine without a C compiler runs the lean Node receivers instead
 * (thin.mjs says which ran).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SOURCE = fileURLToPath(new URL('./receivers.c', import.meta.url));
const BUILD_DIR = fileURLToPath(new URL('../../../build/native/', import.meta.url));
const FLAGS = ['-O2', '-Wall', '-std=gnu11'];

/** `{ path }` of the compiled program, or `{ why }` it could not be had. */
export function nativeBinary() {
  const hash = createHash('sha256').update(readFileSync(SOURCE)).update(FLAGS.join(' ')).digest('hex').slice(0, 12);
  const path = `${BUILD_DIR}receivers-${hash}`;
  if (existsSync(path)) return { path };
  mkdirSync(BUILD_DIR, { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const tried = [];
  for (const cc of [process.env.CC, 'cc', 'gcc', 'clang'].filter(Boolean)) {
    try {
      execFileSync(cc, [...FLAGS, '-o', tmp, SOURCE], { stdio: ['ignore', 'ignore', 'pipe'] });
      // Renamed into place whole, so a concurrent run never starts a half-written binary.
      renameSync(tmp, path);
      return { path };
    } catch (err) {
      tried.push(
        `${cc}: ${
          err.code === 'ENOENT'
            ? 'not found'
            : String(err.stderr ?? err.message)
                .trim()
                .split('\n')[0]
        }`,
      );
    }
  }
  return { why: `no C compiler could build receivers.c (${tried.join('; ')})` };
}

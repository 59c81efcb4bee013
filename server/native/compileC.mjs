/**
 * One C file compiled with the first compiler that works (CC, cc, gcc, clang), written to a temporary
 * file and renamed into place whole, so a process starting meanwhile never loads or runs half a file.
 * Shared by the server's build (native/build.mjs) and the bench's native receivers
 * (bench/src/thin/native/build.mjs). Returns undefined once built, else why not, one line per compiler.
 */
import { execFileSync } from 'node:child_process';
import { renameSync } from 'node:fs';

/** @param {{ source: string, out: string, flags: string[] }} job */
export function compileC({ source, out, flags }) {
  const tmp = `${out}.${process.pid}.tmp`;
  const tried = [];
  for (const cc of [process.env.CC, 'cc', 'gcc', 'clang'].filter(Boolean)) {
    try {
      execFileSync(cc, [...flags, '-o', tmp, source], { stdio: ['ignore', 'ignore', 'pipe'] });
      renameSync(tmp, out);
      return undefined;
    } catch (err) {
      tried.push(`${cc}: ${err.code === 'ENOENT' ? 'not found' : firstLine(String(err.stderr ?? err.message))}`);
    }
  }
  return `no C compiler could build ${source.split('/').pop()} (${tried.join('; ')})`;
}

const firstLine = (text) => text.trim().split('\n')[0];

/** Reads a password: the first line of stdin with --password-stdin, else a prompt that does not echo. */
import { createInterface } from 'node:readline';
import type { CliIo } from './commands.js';

export async function readPassword(io: CliIo, fromStdin: boolean): Promise<string> {
  if (fromStdin) {
    const rl = createInterface({ input: io.stdin });
    for await (const line of rl) {
      rl.close();
      return line;
    }
    return '';
  }
  const input = io.stdin as NodeJS.ReadStream;
  if (!input.isTTY) throw new Error('no terminal to prompt for the password: use --password-stdin');
  io.stdout.write('Password: ');
  return new Promise((resolve) => {
    let value = '';
    input.setRawMode(true);
    input.resume();
    const onData = (buf: Buffer) => {
      for (const ch of buf.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          input.setRawMode(false);
          input.pause();
          input.off('data', onData);
          io.stdout.write('\n');
          return resolve(value);
        }
        if (ch === '\u0003') process.exit(130);
        value = ch === '\u007f' ? value.slice(0, -1) : value + ch;
      }
    };
    input.on('data', onData);
  });
}

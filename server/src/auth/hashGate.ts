/**
 * A cap on argon2 hashes computed at once. Each takes 19 MiB and tens of milliseconds of a libuv
 * thread (passwords.ts); without a cap, a burst of logins from many addresses would take memory and
 * every libuv thread (which file and DNS work of the whole node also wait on). Over the cap a login
 * waits its turn briefly, in order; when too many wait, or the wait runs out, it is refused with
 * 503 and Retry-After, before any hash is computed.
 */
import { AppError } from '../http/errors.js';

export class HashBusyError extends AppError {
  constructor() {
    super('unavailable', 'the server is busy checking other logins; try again in a few seconds');
  }
}

export class HashGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** Most hashes ever running at once, for tests and logs. */
  peak = 0;

  constructor(
    readonly atOnce: number,
    /** How many may wait, and for how long, before being refused. */
    readonly maxWaiting = atOnce * 8,
    readonly waitMs = 3_000,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.atOnce) await this.wait();
    else this.running++;
    this.peak = Math.max(this.peak, this.running);
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next in line; otherwise it is given back.
      if (next) next();
      else this.running--;
    }
  }

  private wait(): Promise<void> {
    if (this.waiting.length >= this.maxWaiting) return Promise.reject(new HashBusyError());
    return new Promise<void>((resolve, reject) => {
      const turn = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        const i = this.waiting.indexOf(turn);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(new HashBusyError());
      }, this.waitMs);
      this.waiting.push(turn);
    });
  }
}

/** Structured logs (pino) by category: `http`, `collab`, `realtime`, `db`, `auth`. */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: { app: 'huntroom' }, redact: ['req.headers.cookie', 'req.headers.authorization'] });
}

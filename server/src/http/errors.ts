/**
 * Typed errors: a stable code, an HTTP status and a message for people. Services throw them;
 * the Express error handler and the socket wrapper turn them into `{ error: { code, message, fields } }`.
 */
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from '@huntroom/shared';
import type { ZodError } from 'zod';

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = ERROR_STATUS[code];
  }

  toBody(): ErrorBody {
    return this.fields ? { code: this.code, message: this.message, fields: this.fields } : { code: this.code, message: this.message };
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const forbidden = (message = 'you may not do that here') => new AppError('forbidden', message);
export const conflict = (message: string) => new AppError('conflict', message);

/** Turns a zod error into a validation AppError with one message per field path. */
export function fromZod(err: ZodError, prefix?: string): AppError {
  const fields: Record<string, string> = {};
  for (const issue of err.issues) {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(body)';
    fields[path] ??= issue.message;
  }
  const first = Object.entries(fields)[0];
  const summary = first ? `${first[0]}: ${first[1]}` : 'invalid input';
  return new AppError('validation_failed', `Invalid input (${summary})`, fields);
}

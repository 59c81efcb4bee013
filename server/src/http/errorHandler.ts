/**
 * The one place errors become responses: AppErrors keep their code and message; body-parser errors
 * become 400/413; anything else is logged with the request id and answered with a bare 500, never a
 * stack trace.
 */
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../log.js';
import { AppError } from './errors.js';

interface BodyParserError {
  type?: string;
  status?: number;
}

export function toAppError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  const bp = err as BodyParserError;
  if (bp?.type === 'entity.too.large') return new AppError('payload_too_large', 'the request body is too large');
  if (bp?.type === 'entity.parse.failed') return new AppError('bad_request', 'the request body is not valid JSON');
  if (bp?.type === 'encoding.unsupported' || bp?.type === 'charset.unsupported') return new AppError('bad_request', 'unsupported body encoding');
  if (bp?.status === 400) return new AppError('bad_request', 'bad request');
  return undefined;
}

export function errorHandler(log: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const known = toAppError(err);
    if (!known) log.error({ err, requestId: req.requestId, path: req.path }, 'unhandled error');
    const e = known ?? new AppError('internal', `something went wrong on the server (request ${req.requestId})`);
    if (res.headersSent) return res.end();
    // A refusal for load or rate always says when to come back; a limiter may have set a closer time.
    if ((e.code === 'unavailable' || e.code === 'rate_limited') && !res.getHeader('Retry-After')) res.setHeader('Retry-After', '5');
    res.status(e.status).json({ error: e.toBody() });
  };
}

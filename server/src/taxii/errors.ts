/**
 * Errors on the TAXII routes are TAXII error messages (TAXII 2.1, section 3.6.1: `title`, `http_status`
 * as a string, `description`), with the TAXII media type, not Huntroom's `{ error }` body: a partner's
 * TAXII client parses them. A 401 names both schemes the routes accept.
 */
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../log.js';
import { toAppError } from '../http/errorHandler.js';
import { AppError } from '../http/errors.js';
import { sendTaxii } from './media.js';

/** A TAXII error with a status of its own (406, 405) that Huntroom's error codes do not name. */
export class TaxiiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly description: string,
  ) {
    super(description);
  }
}

export const CHALLENGE = ['Bearer realm="huntroom-taxii"', 'Basic realm="huntroom-taxii", charset="UTF-8"'];

export function taxiiErrorHandler(log: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return res.end();
    if (err instanceof TaxiiError) {
      sendTaxii(res, { title: err.title, description: err.description, http_status: String(err.status) }, err.status);
      return;
    }
    const known = toAppError(err);
    if (!known) log.error({ err, requestId: req.requestId, path: req.path }, 'unhandled error on a TAXII route');
    const e = known ?? new AppError('internal', `something went wrong on the server (request ${req.requestId})`);
    if (e.status === 401) res.setHeader('WWW-Authenticate', CHALLENGE);
    if ((e.code === 'unavailable' || e.code === 'rate_limited') && !res.getHeader('Retry-After')) res.setHeader('Retry-After', '5');
    sendTaxii(res, { title: e.code, description: e.message, http_status: String(e.status), error_id: req.requestId }, e.status);
  };
}

/**
 * The two ways an import route answers (README, "Importing indicators", "Progress"): one JSON document
 * (the default), or, for a caller that accepts `application/x-ndjson`, a stream of lines once the body
 * is read: `{"progress": {phase, done, total}}` lines, then exactly one `{"result": ...}` or
 * `{"error": {code, message, status}}` line. Shared by the indicator import and the hunt imports.
 */
import type { Request, Response } from 'express';
import { IMPORT_STREAM_TYPE, type ImportPhase } from '@huntroom/shared';
import type { Logger } from '../log.js';
import { AppError } from './errors.js';
import { toAppError } from './errorHandler.js';

export interface ImportAnswer<R extends { dryRun: boolean }> {
  progress(phase: ImportPhase, done: number, total: number): void;
  result(r: R): void;
  /** A stream's error line; a JSON answer leaves errors to the error handler (its status and body). */
  fail?(err: unknown): void;
}

export const wantsStream = (req: Request) => (req.get('accept') ?? '').toLowerCase().includes(IMPORT_STREAM_TYPE);

export function jsonAnswer<R extends { dryRun: boolean }>(res: Response): ImportAnswer<R> {
  return { progress: () => undefined, result: (r) => void res.status(r.dryRun ? 200 : 201).json(r) };
}

export function streamAnswer<R extends { dryRun: boolean }>(log: Logger, req: Request, res: Response): ImportAnswer<R> {
  res.status(200);
  res.setHeader('Content-Type', `${IMPORT_STREAM_TYPE}; charset=utf-8`);
  res.setHeader('Cache-Control', 'no-store');
  // A proxy that buffers would hold every progress line until the end.
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  const line = (l: unknown) => {
    if (!res.writableEnded && !res.destroyed) res.write(`${JSON.stringify(l)}\n`);
  };
  // Parse progress comes per chunk of content; one line per whole percent is plenty for a bar.
  let last = { phase: '', pct: -1 };
  return {
    progress(phase, done, total) {
      const pct = total ? Math.floor((done / total) * 100) : 100;
      if (phase === last.phase && pct === last.pct) return;
      last = { phase, pct };
      line({ progress: { phase, done, total } });
    },
    result(r) {
      line({ result: r });
      res.end();
    },
    fail(err) {
      const known = toAppError(err);
      if (!known) log.error({ err, requestId: req.requestId, path: req.path }, 'unhandled error');
      const e = known ?? new AppError('internal', `something went wrong on the server (request ${req.requestId})`);
      line({ error: { ...e.toBody(), status: e.status } });
      res.end();
    },
  };
}

/** The answer the caller asked for (README: streamed only with `Accept: application/x-ndjson`). */
export const importAnswer = <R extends { dryRun: boolean }>(log: Logger, req: Request, res: Response): ImportAnswer<R> =>
  wantsStream(req) ? streamAnswer<R>(log, req, res) : jsonAnswer<R>(res);

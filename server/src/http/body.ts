/**
 * Request bodies: nothing is read before the caller is known, and nothing larger than its route needs.
 *
 * Order for every /api request that carries a body (app.ts): the declared size is checked against
 * the route's limit (413 without reading a byte); the caller is authenticated from headers only;
 * an anonymous caller is refused (401) unless the route is one of the few public ones, again without
 * reading; then small bodies (1 MB, 16 KB on public routes) are parsed as JSON, while the routes
 * that take whole files leave the body unread until they have also authorized the caller
 * (`readUpload`). Refusals before the body was read close the connection, so a client cannot keep
 * streaming into a socket we already answered.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { LIMITS } from '@huntroom/shared';
import { AppError } from './errors.js';
import type { UploadSlots } from './uploadSlots.js';

interface BodyRule {
  method: string;
  path: RegExp;
  limit: number;
  /** Read by the route itself with `readUpload`, after it has authorized the caller. */
  upload?: boolean;
  /** May be sent without being logged in. */
  public?: boolean;
}

/** Public bodies are a username and a password or an invite's answer: a few hundred bytes. */
const PUBLIC_BODY_BYTES = 16 * 1024;

/** Every route whose body is not a default one (1 MB of JSON from a logged-in caller). */
const RULES: BodyRule[] = [
  { method: 'POST', path: /^\/attack\/import$/, limit: LIMITS.fileUploadBytes, upload: true },
  { method: 'POST', path: /^\/workspaces\/[^/]+\/attack\/layer$/, limit: LIMITS.layerUploadBytes, upload: true },
  { method: 'POST', path: /^\/auth\/login$/, limit: PUBLIC_BODY_BYTES, public: true },
  { method: 'POST', path: /^\/auth\/logout$/, limit: PUBLIC_BODY_BYTES, public: true },
  { method: 'POST', path: /^\/invites\/[^/]+\/accept$/, limit: PUBLIC_BODY_BYTES, public: true },
];

const DEFAULT_RULE: Omit<BodyRule, 'method' | 'path'> = { limit: LIMITS.jsonBodyBytes };

export const bodyRuleFor = (method: string, path: string) => RULES.find((r) => r.method === method && r.path.test(path)) ?? DEFAULT_RULE;

const hasBody = (req: Request) => req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;

/** Answer, then close: the rest of a body we refused is not read. */
function refuseUnread(res: Response, err: AppError): never {
  res.setHeader('Connection', 'close');
  throw err;
}

const tooLarge = (limit: number) => new AppError('payload_too_large', `the request body is too large (at most ${limit} bytes here)`);

/** After `authenticate`: size, caller, then (for small bodies) the JSON parser with the route's limit. */
export function bodyGate() {
  const parsers = new Map<number, ReturnType<typeof express.json>>();
  const parserFor = (limit: number) => {
    let p = parsers.get(limit);
    if (!p) parsers.set(limit, (p = express.json({ limit, strict: true })));
    return p;
  };
  return (req: Request, res: Response, next: NextFunction) => {
    if (!hasBody(req)) return next();
    const rule = bodyRuleFor(req.method, req.path);
    if (Number(req.headers['content-length'] ?? 0) > rule.limit) refuseUnread(res, tooLarge(rule.limit));
    if (!req.auth && !rule.public) refuseUnread(res, new AppError('unauthenticated', 'log in first'));
    if (rule.upload) {
      // The route answers before the whole upload is read when it refuses the caller; never keep that socket.
      res.setHeader('Connection', 'close');
      return next();
    }
    parserFor(rule.limit)(req, res, (err?: unknown) => {
      if (err) res.setHeader('Connection', 'close');
      next(err);
    });
  };
}

/**
 * The body of a whole-file route, read only now that the route has authorized the caller: at most
 * the route's limit, one upload at a time per account (and a few per address and per node, see
 * uploadSlots.ts), as one buffer of its own that can be transferred to the worker pool for parsing.
 */
export async function readUpload(req: Request, res: Response, slots: UploadSlots): Promise<Uint8Array> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) throw new AppError('bad_request', 'send the file as application/json');
  const { limit } = bodyRuleFor(req.method, req.path);
  // The slot is held until the answer is out: parsing the bytes in the pool still holds them.
  res.once('close', slots.take(req.auth!.account.id, req.ip ?? '', res));
  return readAtMost(req, limit);
}

function readAtMost(req: Request, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (err: Error) => {
      req.off('data', onData);
      req.off('end', onEnd);
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop reading: the answer goes out with Connection: close (bodyGate), which ends the socket.
        req.pause();
        return fail(tooLarge(limit));
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      const all = Buffer.concat(chunks, size);
      // Transferable only when the bytes own their ArrayBuffer (small Buffers share a pool).
      resolve(all.byteOffset === 0 && all.buffer.byteLength === size ? new Uint8Array(all.buffer, 0, size) : new Uint8Array(all));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', fail);
    req.on('aborted', () => fail(new AppError('bad_request', 'the upload was cut off')));
  });
}

/**
 * Request bodies: nothing is read before the caller is known, and nothing larger than its route needs.
 *
 * Order for every /api request that carries a body (app.ts): the declared size is checked against
 * the route's limit (413 without reading a byte); the caller is authenticated from headers only;
 * an anonymous caller is refused (401) unless the route is one of the few public ones, again without
 * reading; then small bodies (1 MB, 16 KB on public routes) are read and parsed as JSON here, while
 * the routes that take whole files leave the body unread until they have also authorized the caller
 * (`readUpload`) and parse it in the worker pool.
 *
 * Bodies are read by `readAtMost`, not by body-parser: body-parser reads a body past its limit to the
 * end before answering 413 (a 95 MB body was read whole to be refused). Here reading stops at the
 * limit. Whenever an answer goes out before its body was read, reading stops, and the connection
 * is closed once the client had a moment to read the answer (`closeUnreadAfterAnswer`), so a client
 * cannot keep streaming into a socket that was already answered.
 */
import type { NextFunction, Request, Response } from 'express';
import { HUNT_IMPORT_LIMITS, LIMITS, SAMPLE_LIMITS } from '@huntroom/shared';
import { AppError } from './errors.js';
import type { UploadSlots } from './uploadSlots.js';
import { BodyBudgets } from './bodyBudget.js';

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
  { method: 'POST', path: /^\/workspaces\/[^/]+\/indicators\/import$/, limit: LIMITS.indicatorImportBytes, upload: true },
  // Hunt imports (hunt/import): an nmap scan, a hosts CSV or a super-timeline, read in the worker pool.
  { method: 'POST', path: /^\/workspaces\/[^/]+\/(hosts|timeline)\/import$/, limit: HUNT_IMPORT_LIMITS.contentBytes + 1024 * 1024, upload: true },
  // A malware sample (hunt/samples): 64 MB of file plus room for the multipart framing; streamed to disk, never buffered.
  { method: 'POST', path: /^\/workspaces\/[^/]+\/findings\/[^/]+\/samples$/, limit: SAMPLE_LIMITS.maxBytes + 64 * 1024, upload: true },
  { method: 'POST', path: /^\/auth\/login$/, limit: PUBLIC_BODY_BYTES, public: true },
  { method: 'POST', path: /^\/auth\/logout$/, limit: PUBLIC_BODY_BYTES, public: true },
  { method: 'POST', path: /^\/invites\/[^/]+\/accept$/, limit: PUBLIC_BODY_BYTES, public: true },
];

const DEFAULT_RULE: Omit<BodyRule, 'method' | 'path'> = { limit: LIMITS.jsonBodyBytes };

export const bodyRuleFor = (method: string, path: string) => RULES.find((r) => r.method === method && r.path.test(path)) ?? DEFAULT_RULE;

const hasBody = (req: Request) => req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;

const tooLarge = (limit: number) => new AppError('payload_too_large', `the request body is too large (at most ${limit} bytes here)`);

/** After an early answer, how long the client gets to read it before its connection is closed. */
const LINGER_MS = 2_000;

/**
 * An answer that goes out before its body was read to the end (401, 403, 413, 429...): reading stops,
 * the answer is sent and our side of the connection is ended, and after LINGER_MS the socket is
 * destroyed. Nothing more is read, so streaming on costs the node nothing, while the client still
 * gets the answer (a socket closed at once would reset it, and the client would see no answer at all).
 * Node itself would otherwise either read the rest of the body to discard it (keep-alive) or destroy
 * the socket right after the answer (Connection: close): the first costs reading 95 MB, the second
 * the client's answer. So the answer says keep-alive, and this code ends the connection itself.
 */
function closeUnreadAfterAnswer(req: Request, res: Response): void {
  // Kept to be called with this response as `this` (writeHead.apply below).
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const writeHead = res.writeHead;
  let early = false;
  res.writeHead = function (this: Response, ...args: Parameters<Response['writeHead']>) {
    if (!req.complete && !res.headersSent) {
      early = true;
      res.setHeader('Connection', 'keep-alive');
      req.pause();
      // Marks the body as taken, so Node does not read the rest of it to throw it away.
      req.read(0);
    }
    return writeHead.apply(this, args);
  } as Response['writeHead'];
  res.once('finish', () => {
    if (!early) return;
    if (req.complete) return void req.resume();
    const socket = req.socket;
    socket.end();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  });
}

const JSON_TYPE = /^application\/json\s*(;|$)/i;
const MULTIPART_TYPE = /^multipart\/form-data\s*;\s*boundary=/i;

/**
 * After `authenticate`: size, caller, then (for small bodies) JSON read and parsed with the route's
 * limit, within the caller's budget of body bytes (bodyBudget.ts).
 */
export function bodyGate(budgets = new BodyBudgets()) {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (!hasBody(req)) return next();
    closeUnreadAfterAnswer(req, res);
    const rule = bodyRuleFor(req.method, req.path);
    if (Number(req.headers['content-length'] ?? 0) > rule.limit) throw tooLarge(rule.limit);
    if (!req.auth && !rule.public) throw new AppError('unauthenticated', 'log in first');
    if (rule.upload) return next();
    // Like express.json: only JSON bodies are parsed; others stay unread and the route finds no body.
    if (!JSON_TYPE.test(req.headers['content-type'] ?? '')) return next();
    checkEncoding(req);
    const key = req.auth ? `account:${req.auth.account.id}` : `address:${req.ip ?? ''}`;
    const wait = budgets.waitSeconds(key);
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      throw new AppError('rate_limited', 'too much request data in a short time; slow down');
    }
    let bytes: Uint8Array;
    try {
      bytes = await readAtMost(req, rule.limit);
    } catch (err) {
      budgets.charge(key, rule.limit);
      throw err;
    }
    budgets.charge(key, bytes.byteLength);
    req.body = parseJson(bytes);
    next();
  };
}

function checkEncoding(req: Request): void {
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  // A compressed body would be a small upload that inflates past any limit: not accepted.
  if (encoding !== 'identity') throw new AppError('bad_request', 'unsupported body encoding (send it uncompressed)');
  const charset = /;\s*charset=([^;\s]+)/i
    .exec(req.headers['content-type'] ?? '')?.[1]
    ?.replace(/"/g, '')
    .toLowerCase();
  if (charset && charset !== 'utf-8' && charset !== 'utf8') throw new AppError('bad_request', 'unsupported body encoding (send UTF-8)');
}

/** Strict JSON (an object or an array, as express.json's `strict`), or a 400 that shows no parser internals. */
function parseJson(bytes: Uint8Array): unknown {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const first = /\S/.exec(text)?.[0];
  if (first === undefined) return {};
  if (first !== '{' && first !== '[') throw new AppError('bad_request', 'the request body is not valid JSON');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError('bad_request', 'the request body is not valid JSON');
  }
}

/**
 * The body of a whole-file route, read only now that the route has authorized the caller: at most
 * the route's limit, one upload at a time per account (and a few per address and per node, see
 * uploadSlots.ts), as one buffer of its own that can be transferred to the worker pool for parsing.
 */
export async function readUpload(req: Request, res: Response, slots: UploadSlots, opts: { multipart?: boolean } = {}): Promise<Uint8Array> {
  const type = req.headers['content-type'] ?? '';
  // A route that takes a form upload (a file picked in a browser or sent by curl -F) says so.
  const multipart = opts.multipart === true && MULTIPART_TYPE.test(type);
  if (!JSON_TYPE.test(type) && !multipart)
    throw new AppError('bad_request', opts.multipart ? 'send the file as application/json or multipart/form-data' : 'send the file as application/json');
  checkEncoding(req);
  const { limit } = bodyRuleFor(req.method, req.path);
  // The slot is held until the answer is out: parsing the bytes in the pool still holds them.
  res.once('close', slots.take(req.auth!.account.id, req.ip ?? '', res));
  return readAtMost(req, limit);
}

/** Reads the body up to `limit` bytes; past it, stops reading and rejects with 413. */
function readAtMost(req: Request, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stop();
        req.pause();
        return reject(tooLarge(limit));
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      const all = Buffer.concat(chunks, size);
      // Transferable only when the bytes own their ArrayBuffer (small Buffers share a pool).
      resolve(all.byteOffset === 0 && all.buffer.byteLength === size ? new Uint8Array(all.buffer, 0, size) : new Uint8Array(all));
    };
    const onError = () => {
      stop();
      reject(new AppError('bad_request', 'the request body could not be read'));
    };
    const onAborted = () => {
      stop();
      reject(new AppError('bad_request', 'the upload was cut off'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

/**
 * Reading an import request: the body (JSON, or a multipart form whose `file` is the content) into the
 * request contract of shared/, then the content through the shared `parseImport`, the very function the
 * browser's preview runs. Pure and synchronous but for the form decoding, so it runs the same on the
 * main thread (small bodies) and in a worker thread of the pool (task.ts); it never throws for bad
 * input, it answers a refusal, because an error's class does not survive the way back from a worker.
 */
import { ImportError, IMPORT_LIMITS, importRequestSchema, parseImport, type ImportRequest, type ParsedImport } from '@huntroom/shared';
import { findIllFormedText } from '../../http/text.js';

export type ImportRefusal = { refused: 'bad_request' | 'validation_failed' | 'payload_too_large'; message: string; fields?: Record<string, string> };
export type ImportRead = { request: Omit<ImportRequest, 'content'>; parsed: ParsedImport };

const refuse = (refused: ImportRefusal['refused'], message: string, fields?: Record<string, string>): ImportRefusal => ({ refused, message, ...(fields ? { fields } : {}) });

/** Form fields that hold JSON (lists and objects); the others are plain text or true/false. */
const JSON_FIELDS = new Set(['defaults', 'mapping', 'exclude']);
const FLAG_FIELDS = new Set(['dryRun', 'keepBenign']);

async function fromForm(bytes: Uint8Array, contentType: string): Promise<Record<string, unknown> | ImportRefusal> {
  let form: FormData;
  try {
    // The platform's own multipart reader (fetch's Response.formData), so no parser of our own.
    form = await new Response(bytes, { headers: { 'content-type': contentType } }).formData();
  } catch {
    return refuse('bad_request', 'the multipart form could not be read');
  }
  const body: Record<string, unknown> = {};
  for (const [key, value] of form) {
    if (key in body) return refuse('bad_request', `the form field "${key}" is sent twice`);
    if (key === 'file') {
      if (typeof value === 'string') body.content = value;
      else {
        body.content = await value.text();
        if (value.name && !form.has('name')) body.name = value.name;
      }
      continue;
    }
    if (typeof value !== 'string') return refuse('bad_request', `the form field "${key}" must be text, not a file (only "file" is)`);
    if (JSON_FIELDS.has(key)) {
      try {
        body[key] = JSON.parse(value) as unknown;
      } catch {
        return refuse('bad_request', `the form field "${key}" must be JSON`);
      }
    } else if (FLAG_FIELDS.has(key)) {
      if (value !== 'true' && value !== 'false') return refuse('bad_request', `the form field "${key}" must be true or false`);
      body[key] = value === 'true';
    } else body[key] = value;
  }
  if (!('content' in body)) return refuse('bad_request', 'the form has no "file" field');
  return body;
}

function fromJson(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return refuse('bad_request', 'the request body is not UTF-8');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return refuse('bad_request', 'the request body is not valid JSON');
  }
}

const isRefusal = (v: unknown): v is ImportRefusal => !!v && typeof v === 'object' && 'refused' in v;

/** The request in `bytes` (as sent with `contentType`), checked against the contract. */
export async function decodeImportRequest(bytes: Uint8Array, contentType: string): Promise<ImportRequest | ImportRefusal> {
  const body = /^multipart\/form-data/i.test(contentType) ? await fromForm(bytes, contentType) : fromJson(bytes);
  if (isRefusal(body)) return body;
  // The same rule as every other body (http/text.ts): text we can store and give back unchanged.
  const bad = findIllFormedText(body);
  if (bad) return refuse('bad_request', `${bad}: contains a NUL character or broken Unicode`);
  const r = importRequestSchema.safeParse(body);
  if (r.success) return r.data;
  const fields: Record<string, string> = {};
  for (const issue of r.error.issues) fields[issue.path.join('.') || '(body)'] ??= issue.message;
  const [first] = Object.entries(fields);
  return refuse('validation_failed', `Invalid input (${first ? `${first[0]}: ${first[1]}` : 'invalid'})`, fields);
}

/** Decodes the request and reads its content; a malformed file is a refusal naming where it broke. */
export async function readImport(bytes: Uint8Array, contentType: string, onProgress?: (done: number, total: number) => void): Promise<ImportRead | ImportRefusal> {
  const request = await decodeImportRequest(bytes, contentType);
  if (isRefusal(request)) return request;
  const { content, ...rest } = request;
  try {
    const parsed = parseImport(content, request.format, { mapping: request.mapping, name: request.name, ...(onProgress ? { onProgress } : {}) });
    // Refused here, in the worker, before millions of candidates are copied back to the main thread.
    if (parsed.candidates.length > IMPORT_LIMITS.candidatesMax)
      return refuse(
        'payload_too_large',
        `the content holds ${parsed.candidates.length} distinct values; one import takes at most ${IMPORT_LIMITS.candidatesMax}: import it in parts`,
      );
    return { request: rest, parsed };
  } catch (err) {
    if (err instanceof ImportError) return refuse('validation_failed', err.message, { content: err.message });
    throw err;
  }
}

export { isRefusal };

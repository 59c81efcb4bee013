/**
 * Stable error codes shared by REST responses and socket acks: `{ error: { code, message, fields? } }`.
 * Clients branch on `code`, never on `message`, which is for people.
 */
export const ERROR_STATUS = {
  bad_request: 400,
  validation_failed: 400,
  unauthenticated: 401,
  csrf_failed: 403,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** Per-field messages for validation errors, keyed by a dotted path such as `payload.value`. */
  fields?: Record<string, string>;
}

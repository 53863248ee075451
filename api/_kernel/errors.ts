/**
 * The one error type the API throws for expected failures, with a code of
 * the API's own (shared/api/error-codes.ts, which the client's errors are
 * typed with). Routes and domain modules throw it; the app's error handler
 * maps it to JSON `{error: {code, message, fields?}}` with the status below.
 */
import type { ErrorCode } from '../../shared/api/error-codes.js';

export type { ErrorCode };

const statusOf: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 400,
  unauthenticated: 401,
  token_expired: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  idempotency_mismatch: 409,
  insufficient_stock: 409,
  invalid_state: 409,
  price_mismatch: 409,
  credit_limit_exceeded: 409,
  discount_limit_exceeded: 403,
  exceeds_balance: 409,
  payload_too_large: 413,
  rate_limited: 429,
  limit_exceeded: 409,
  invalid_code: 401,
  not_bound: 403,
  invite_invalid: 400,
  platform_error: 502,
  unavailable: 503,
  reconcile_running: 409,
  internal: 500,
};

export interface FieldIssue {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly fields: FieldIssue[] | undefined;
  /**
   * What went wrong in words for the log only: which variable is missing,
   * what a library said. The caller sees `message`, which must name no
   * variable and carry no error text, since it reaches anyone on the internet.
   */
  readonly detail: string | undefined;
  /** Seconds until a refused caller may try again; the answer carries it as `Retry-After` (RFC 9110) so clients need not parse the message. */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, fields?: FieldIssue[], options?: { detail?: string; retryAfterSeconds?: number }) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = statusOf[code];
    this.fields = fields;
    this.detail = options?.detail;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

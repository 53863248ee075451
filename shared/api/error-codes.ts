/**
 * Every error code the API answers with (`{error: {code, message, fields?}}`),
 * in one place both sides read: the server throws them, the client's ApiError
 * is typed with them. What each one means to a caller lies in its HTTP status
 * (api/_app/http-status.ts).
 */
export const error_codes = [
  'bad_request',
  'invalid_json',
  'validation_failed',
  'unauthenticated',
  'token_expired',
  'forbidden',
  'not_found',
  'conflict',
  'idempotency_mismatch',
  'insufficient_stock',
  'invalid_state',
  'price_mismatch',
  'credit_limit_exceeded',
  'discount_limit_exceeded',
  'exceeds_balance',
  'payload_too_large',
  'rate_limited',
  'limit_exceeded',
  'invalid_code',
  'not_bound',
  'invite_invalid',
  'platform_error',
  'unavailable',
  'reconcile_running',
  'internal',
] as const;

export type ErrorCode = (typeof error_codes)[number];

import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The `state` of an authorisation link: which merchant asked, which request
 * of theirs it is, and until when it may be used, signed with HMAC-SHA256.
 *
 * `issuedMs` is the `updated_at` the request left on the merchant's
 * `merchant_payment_accounts` row. The callback completes only while the row
 * still carries that value and moves it on when it does, so a state works
 * once, and a newer link (or any other change to the row) retires older ones.
 * Nothing else needs storing for it.
 */

export const app_auth_state_ttl_ms = 30 * 60 * 1000;
/** A state longer than this is not one of ours; refused before any parsing. */
export const app_auth_state_chars_max = 512;

export interface AppAuthState {
  merchantId: string;
  issuedMs: number;
  expiresMs: number;
}

export type StateCheck = { ok: true; state: AppAuthState } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

function mac(key: Buffer, payload: string): Buffer {
  return createHmac('sha256', key).update(`alipay-app-auth:${payload}`).digest();
}

export function signState(key: Buffer, state: AppAuthState): string {
  const payload = Buffer.from(JSON.stringify({ m: state.merchantId, i: state.issuedMs, e: state.expiresMs }), 'utf8').toString('base64url');
  return `${payload}.${mac(key, payload).toString('base64url')}`;
}

export function verifyState(key: Buffer, token: string, nowMs: number): StateCheck {
  if (token.length === 0 || token.length > app_auth_state_chars_max) return { ok: false, reason: 'malformed' };
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(signature, 'base64url');
  const wanted = mac(key, payload);
  // The signature is checked before the payload is read.
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return { ok: false, reason: 'bad_signature' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const { m, i, e } = (parsed ?? {}) as Record<string, unknown>;
  if (typeof m !== 'string' || !Number.isSafeInteger(i) || !Number.isSafeInteger(e)) return { ok: false, reason: 'malformed' };
  if (nowMs >= (e as number)) return { ok: false, reason: 'expired' };
  return { ok: true, state: { merchantId: m, issuedMs: i as number, expiresMs: e as number } };
}

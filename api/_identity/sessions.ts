import { SignJWT, jwtVerify, errors } from 'jose';
import { AppError } from '../_kernel/errors.js';

/** Session tokens are short HS256 JWTs that name the caller; roles are looked up per request. */
export type SessionKind = 'staff' | 'member';

export interface SessionClaims {
  kind: SessionKind;
  subject: string;
  merchantId: string;
}

const issuer = 'guitai';

/**
 * jose imports a raw secret into a CryptoKey on every call, an extra trip
 * through the crypto thread pool per request; the key is imported once per
 * secret instead.
 */
const keys = new WeakMap<Uint8Array, Promise<CryptoKey>>();
function hmacKey(secret: Uint8Array): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', secret as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    keys.set(secret, key);
  }
  return key;
}
export const session_token_length_max = 2048;

export async function signSession(
  secret: Uint8Array,
  claims: SessionClaims,
  now: Date,
  ttlSeconds: number,
): Promise<{ token: string; expiresAt: string }> {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + ttlSeconds;
  const token = await new SignJWT({ knd: claims.kind, mch: claims.merchantId })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.subject)
    .setIssuer(issuer)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(await hmacKey(secret));
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

export async function verifySession(secret: Uint8Array, token: string, now: Date): Promise<SessionClaims> {
  if (token.length > session_token_length_max) throw new AppError('unauthenticated', '登录凭证过长');
  try {
    const { payload } = await jwtVerify(token, await hmacKey(secret), {
      issuer,
      algorithms: ['HS256'],
      currentDate: now,
    });
    const kind = payload.knd;
    const merchantId = payload.mch;
    if ((kind !== 'staff' && kind !== 'member') || typeof merchantId !== 'string' || !payload.sub) {
      throw new AppError('unauthenticated', '登录凭证不完整，请重新登录');
    }
    return { kind, merchantId, subject: payload.sub };
  } catch (e) {
    if (e instanceof AppError) throw e;
    if (e instanceof errors.JWTExpired) throw new AppError('token_expired', '登录已过期，请重新登录');
    throw new AppError('unauthenticated', '登录凭证无效，请重新登录');
  }
}

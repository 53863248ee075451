import { createHash, createHmac, randomBytes } from 'node:crypto';

/** How long a signature is good for: QStash's own tokens live five minutes. */
export const qstash_signature_ttl_s = 300;

const base64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/**
 * The `Upstash-Signature` QStash puts on every delivery: a JWT (HS256, keyed
 * with the signing key string as UTF-8 bytes) whose `sub` is the destination
 * URL and whose `body` is base64url(SHA-256(raw body)), exactly what
 * `Receiver.verify` of `@upstash/qstash` checks.
 */
export function signDelivery(key: string, destination: string, body: string | Uint8Array, nowMs: number = Date.now()): string {
  const now = Math.floor(nowMs / 1000);
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const claims = base64url(
    JSON.stringify({
      iss: 'Upstash',
      sub: destination,
      exp: now + qstash_signature_ttl_s,
      nbf: now,
      iat: now,
      jti: `jwt_${randomBytes(12).toString('hex')}`,
      body: createHash('sha256').update(body).digest('base64url'),
    }),
  );
  const mac = createHmac('sha256', Buffer.from(key, 'utf8')).update(`${header}.${claims}`).digest();
  return `${header}.${claims}.${base64url(mac)}`;
}

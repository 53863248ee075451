import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Seals the secrets a merchant hands us (Alipay `app_auth_token` and its
 * refresh token) before they reach the database, with AES-256-GCM under a key
 * from the environment (`GUITAI_SECRET_KEY`, 32 bytes in base64). A database
 * dump alone then gives nobody a way to take payments as a merchant.
 *
 * The sealed form is `v1.<iv>.<ciphertext>.<tag>` (base64url), and the
 * merchant id is bound in as associated data, so a sealed token copied onto
 * another merchant's row does not open.
 */
export const secret_box_key_bytes = 32;
const iv_bytes = 12;
const tag_bytes = 16;

export interface SecretBox {
  seal(plain: string, boundTo: string): string;
  open(sealed: string, boundTo: string): string;
}

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

export function secretBox(key: Uint8Array): SecretBox {
  if (key.length !== secret_box_key_bytes) throw new SecretBoxError(`the secret key must be ${secret_box_key_bytes} bytes, not ${key.length}`);
  return {
    seal(plain, boundTo) {
      const iv = randomBytes(iv_bytes);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: tag_bytes });
      cipher.setAAD(Buffer.from(boundTo, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    },
    open(sealed, boundTo) {
      const [version, iv, body, tag] = sealed.split('.');
      if (version !== 'v1' || iv === undefined || body === undefined || tag === undefined) throw new SecretBoxError('not a sealed secret');
      const tagBytes = Buffer.from(tag, 'base64url');
      // Node accepts a short tag unless told its length; a truncated tag would weaken the check.
      if (tagBytes.length !== tag_bytes) throw new SecretBoxError('sealed secret has a bad tag');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: tag_bytes });
      decipher.setAAD(Buffer.from(boundTo, 'utf8'));
      decipher.setAuthTag(tagBytes);
      try {
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretBoxError('sealed secret does not open with this key');
      }
    },
  };
}

/**
 * The key from `GUITAI_SECRET_KEY`. A developer's machine and the tests get a
 * fixed key derived from a constant, which is fine there and only there: a
 * deployed environment never falls back to it (this throws), and one that
 * takes Alipay as a service provider refuses to start without the variable
 * (see `deployedEnvProblems`).
 */
export function secretKeyFromEnv(env: Record<string, string | undefined>, deployed: boolean): Uint8Array {
  const given = env.GUITAI_SECRET_KEY?.trim();
  if (given) {
    const key = Buffer.from(given, 'base64');
    if (key.length !== secret_box_key_bytes) throw new SecretBoxError(`GUITAI_SECRET_KEY must be ${secret_box_key_bytes} bytes in base64`);
    return key;
  }
  if (deployed) throw new SecretBoxError('GUITAI_SECRET_KEY must be set in a deployed environment');
  return createHash('sha256').update('guitai-dev-secret-key').digest();
}

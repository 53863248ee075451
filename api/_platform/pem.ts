import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

/**
 * Keys arrive from environment variables in several shapes: PEM, PEM with
 * its newlines written as `\n` (a one-line variable), or the bare base64 the
 * Alipay console shows. These return canonical PEM (PKCS#8 / SPKI) or throw.
 */

function unescapeNewlines(value: string): string {
  return value.trim().replaceAll('\\n', '\n');
}

function derOf(value: string): Buffer {
  const compact = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) throw new Error('not PEM and not base64');
  return Buffer.from(compact, 'base64');
}

export function privateKeyPem(value: string): string {
  const text = unescapeNewlines(value);
  const key: KeyObject = text.includes('-----BEGIN')
    ? createPrivateKey(text)
    : createPrivateKey({ key: derOf(text), format: 'der', type: 'pkcs8' });
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

export function publicKeyPem(value: string): string {
  const text = unescapeNewlines(value);
  const key: KeyObject = text.includes('-----BEGIN')
    ? createPublicKey(text)
    : createPublicKey({ key: derOf(text), format: 'der', type: 'spki' });
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

import { createDecipheriv, type KeyObject } from 'node:crypto';
import { NotificationRejected } from '../channel.js';
import { responseMessage, verifySha256Rsa } from './signing.js';

/**
 * Verifying what WeChat Pay signs (responses and notifications) and opening
 * a notification's encrypted `resource`. Order matters: the key is chosen by
 * `Wechatpay-Serial`, the signature is checked over the raw body, then the
 * (signed) timestamp, and only then is anything decrypted or parsed.
 */

/** |now − Wechatpay-Timestamp| at or past this is stale (the Go SDK's rule). */
export const signature_age_max_ms = 5 * 60 * 1000;
const gcm_tag_bytes = 16;
const gcm_nonce_chars = 12;

/** Serial (certificate serial in upper-case hex, or `PUB_KEY_ID_…`) → the platform's public key. */
export type PlatformKeys = ReadonlyMap<string, KeyObject>;

export interface SignatureHeaders {
  timestamp: string;
  nonce: string;
  signature: string;
  serial: string;
}

/** Header lookup that ignores case (node lower-cases names; fixtures and docs capitalise them). */
export function header(headers: Record<string, string | undefined>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

export function signatureHeaders(headers: Record<string, string | undefined>): SignatureHeaders | undefined {
  const timestamp = header(headers, 'Wechatpay-Timestamp')?.trim();
  const nonce = header(headers, 'Wechatpay-Nonce')?.trim();
  const signature = header(headers, 'Wechatpay-Signature')?.trim();
  const serial = header(headers, 'Wechatpay-Serial')?.trim();
  if (!timestamp || !nonce || !signature || !serial) return undefined;
  return { timestamp, nonce, signature, serial };
}

/** Serials compare in upper case: X509Certificate prints them so, PUB_KEY_ID_ is already upper. */
export function serialKey(serial: string): string {
  return serial.toUpperCase();
}

/**
 * Checks one signed message from WeChat Pay. Throws `NotificationRejected`
 * with the first failing reason; returns nothing, since the body it checked
 * is the caller's own raw string.
 */
export function verifyWechatSignature(rawBody: string, headers: Record<string, string | undefined>, keys: PlatformKeys, now: Date): void {
  const signed = signatureHeaders(headers);
  if (!signed) throw new NotificationRejected('malformed', 'Wechatpay-Timestamp, -Nonce, -Signature or -Serial header missing');
  const key = keys.get(serialKey(signed.serial));
  if (!key) throw new NotificationRejected('unknown_serial', `no platform key for Wechatpay-Serial ${signed.serial}`);
  if (!verifySha256Rsa(key, responseMessage(signed.timestamp, signed.nonce, rawBody), signed.signature)) {
    throw new NotificationRejected('bad_signature', `signature does not verify with ${signed.serial}`);
  }
  if (!/^\d{1,12}$/.test(signed.timestamp)) throw new NotificationRejected('malformed', 'Wechatpay-Timestamp is not Unix seconds');
  const ageMs = Math.abs(now.getTime() - Number(signed.timestamp) * 1000);
  if (ageMs >= signature_age_max_ms) {
    throw new NotificationRejected('stale', `Wechatpay-Timestamp ${signed.timestamp} is ${Math.round(ageMs / 1000)} s from now`);
  }
}

export interface EncryptedResource {
  algorithm: string;
  ciphertext: string;
  associated_data?: string;
  nonce: string;
}

/**
 * AEAD_AES_256_GCM with the APIv3 key's ASCII bytes, the nonce's ASCII bytes
 * and the tag in the last 16 bytes, checked. The cipher follows the key
 * length as Go's `aes.NewCipher` does (the config only admits 32-byte keys;
 * published 16-byte test vectors then still decrypt here).
 */
export function decryptResource(resource: EncryptedResource, apiV3Key: Buffer): string {
  if (resource.algorithm !== 'AEAD_AES_256_GCM') throw new NotificationRejected('bad_ciphertext', `unsupported algorithm ${resource.algorithm}`);
  if (apiV3Key.length !== 32 && apiV3Key.length !== 16) throw new NotificationRejected('bad_ciphertext', 'APIv3 key must be 32 bytes');
  const nonce = Buffer.from(resource.nonce, 'utf8');
  if (nonce.length !== gcm_nonce_chars) throw new NotificationRejected('bad_ciphertext', 'resource.nonce must be 12 characters');
  const data = Buffer.from(resource.ciphertext, 'base64');
  if (data.length <= gcm_tag_bytes) throw new NotificationRejected('bad_ciphertext', 'resource.ciphertext too short for a GCM tag');
  try {
    const decipher = createDecipheriv(apiV3Key.length === 32 ? 'aes-256-gcm' : 'aes-128-gcm', apiV3Key, nonce, { authTagLength: gcm_tag_bytes });
    decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
    decipher.setAuthTag(data.subarray(data.length - gcm_tag_bytes));
    return Buffer.concat([decipher.update(data.subarray(0, data.length - gcm_tag_bytes)), decipher.final()]).toString('utf8');
  } catch {
    throw new NotificationRejected('bad_ciphertext', 'resource does not decrypt (GCM tag mismatch)');
  }
}

export interface OpenedNotification {
  id: string;
  eventType: string;
  originalType: string;
  /** The decrypted resource, still text. */
  plaintext: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Verifies, then decrypts one notification; the event is not interpreted here. */
export function openNotification(
  rawBody: string,
  headers: Record<string, string | undefined>,
  now: Date,
  keys: PlatformKeys,
  apiV3Key: Buffer,
): OpenedNotification {
  verifyWechatSignature(rawBody, headers, keys, now);
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    throw new NotificationRejected('malformed', 'notification body is not JSON');
  }
  if (!isRecord(body) || !isRecord(body['resource'])) throw new NotificationRejected('malformed', 'notification has no resource');
  const resource = body['resource'];
  const fields = ['algorithm', 'ciphertext', 'nonce'] as const;
  for (const name of fields) {
    if (typeof resource[name] !== 'string') throw new NotificationRejected('malformed', `resource.${name} missing`);
  }
  const aad = resource['associated_data'];
  if (aad !== undefined && typeof aad !== 'string') throw new NotificationRejected('malformed', 'resource.associated_data is not a string');
  const plaintext = decryptResource(
    { algorithm: resource['algorithm'] as string, ciphertext: resource['ciphertext'] as string, nonce: resource['nonce'] as string, associated_data: aad },
    apiV3Key,
  );
  return {
    id: typeof body['id'] === 'string' ? body['id'] : '',
    eventType: typeof body['event_type'] === 'string' ? body['event_type'] : '',
    originalType: typeof resource['original_type'] === 'string' ? resource['original_type'] : '',
    plaintext,
  };
}

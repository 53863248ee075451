import { createSign, createVerify, randomBytes, type KeyObject } from 'node:crypto';

/**
 * The strings WeChat Pay APIv3 signs and the SHA256withRSA (PKCS#1 v1.5)
 * around them. Every line of every signed string ends in LF, the last one
 * included; a missing final LF is the most common cause of `SIGN_ERROR`.
 */

export const authorization_scheme = 'WECHATPAY2-SHA256-RSA2048';
const nonce_bytes = 16;

/** The Authorization message: method, path with query, timestamp (seconds), nonce, body ('' for GET). */
export function requestMessage(method: string, pathAndQuery: string, timestamp: string, nonce: string, body: string): string {
  return `${method}\n${pathAndQuery}\n${timestamp}\n${nonce}\n${body}\n`;
}

/** What WeChat Pay signs on responses and notifications: timestamp, nonce, raw body. */
export function responseMessage(timestamp: string, nonce: string, body: string): string {
  return `${timestamp}\n${nonce}\n${body}\n`;
}

/** The mini-program / JSAPI `paySign` message; `signType` is not part of it. */
export function paySignMessage(appId: string, timeStamp: string, nonceStr: string, pkg: string): string {
  return `${appId}\n${timeStamp}\n${nonceStr}\n${pkg}\n`;
}

export function signSha256Rsa(privateKey: KeyObject, message: string): string {
  return createSign('RSA-SHA256').update(message, 'utf8').sign(privateKey, 'base64');
}

export function verifySha256Rsa(publicKey: KeyObject, message: string, signatureBase64: string): boolean {
  const signature = Buffer.from(signatureBase64, 'base64');
  if (signature.length === 0) return false;
  return createVerify('RSA-SHA256').update(message, 'utf8').verify(publicKey, signature);
}

/** 32 upper-case hex characters, within the 32-character limit of `nonce_str` / `nonceStr`. */
export function newNonce(): string {
  return randomBytes(nonce_bytes).toString('hex').toUpperCase();
}

export interface AuthorizationParts {
  mchid: string;
  nonce_str: string;
  signature: string;
  timestamp: string;
  serial_no: string;
}

export function authorizationHeader(parts: AuthorizationParts): string {
  return `${authorization_scheme} mchid="${parts.mchid}",nonce_str="${parts.nonce_str}",signature="${parts.signature}",timestamp="${parts.timestamp}",serial_no="${parts.serial_no}"`;
}

/** Reads an Authorization header back (the items may come in any order); undefined when it is not one. */
export function parseAuthorizationHeader(header: string): AuthorizationParts | undefined {
  const prefix = `${authorization_scheme} `;
  if (!header.startsWith(prefix)) return undefined;
  const items = new Map<string, string>();
  for (const match of header.slice(prefix.length).matchAll(/\s*([a-z_]+)="([^"]*)"\s*(?:,|$)/g)) {
    items.set(match[1] ?? '', match[2] ?? '');
  }
  const names = ['mchid', 'nonce_str', 'signature', 'timestamp', 'serial_no'] as const;
  const parts = {} as AuthorizationParts;
  for (const name of names) {
    const value = items.get(name);
    if (!value) return undefined;
    parts[name] = value;
  }
  return parts;
}

/** Signs one request for the Authorization header. */
export function signRequest(options: {
  mchId: string;
  serialNo: string;
  privateKey: KeyObject;
  method: string;
  pathAndQuery: string;
  body: string;
  timestamp: string;
  nonce?: string;
}): string {
  const nonce = options.nonce ?? newNonce();
  const signature = signSha256Rsa(options.privateKey, requestMessage(options.method, options.pathAndQuery, options.timestamp, nonce, options.body));
  return authorizationHeader({ mchid: options.mchId, nonce_str: nonce, signature, timestamp: options.timestamp, serial_no: options.serialNo });
}

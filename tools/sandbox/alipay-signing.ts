import { createSign, createVerify } from 'node:crypto';

/**
 * The gateway side of Alipay's OpenAPI 2.0 RSA2 rules.
 *
 * Requests: every parameter except `sign` and except empty values, sorted by
 * key, joined as raw `key=value` with `&`. `sign_type` stays in: only
 * asynchronous notifications leave it out.
 *
 * Responses: the signature covers the exact JSON text of the `…_response`
 * object as sent. Alipay writes `/` as `\/` there, so the sandbox does too,
 * and a client that re-serialises the parsed object fails verification here.
 */

export function requestSignContent(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((key) => key !== 'sign' && params[key] !== '')
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join('&');
}

export function signRequest(params: Record<string, string>, appPrivateKey: string): string {
  return createSign('RSA-SHA256').update(requestSignContent(params), 'utf8').sign(appPrivateKey, 'base64');
}

export function verifyRequest(params: Record<string, string>, appPublicKey: string): boolean {
  const signature = params['sign'];
  if (!signature) return false;
  return createVerify('RSA-SHA256').update(requestSignContent(params), 'utf8').verify(appPublicKey, signature, 'base64');
}

/** The whole response body: `{"<key>":<payload>,"sign":"…"}`. */
export function signedResponseBody(key: string, payload: object, alipayPrivateKey: string): string {
  const content = JSON.stringify(payload).replaceAll('/', '\\/');
  const signature = createSign('RSA-SHA256').update(content, 'utf8').sign(alipayPrivateKey, 'base64');
  return `{${JSON.stringify(key)}:${content},"sign":${JSON.stringify(signature)}}`;
}

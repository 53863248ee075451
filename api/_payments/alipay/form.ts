/**
 * Alipay's asynchronous notifications arrive as an
 * `application/x-www-form-urlencoded` body. It is decoded exactly once
 * (`%2B` becomes `+`, `+` becomes a space) and the pairs are kept as decoded:
 * the signature covers those values, and decoding again would turn a literal
 * `%` or `+` in the data into something else.
 */

export type FormFields = Record<string, string>;

/** The decoded fields, or undefined when a name repeats (a signed form never repeats one). */
export function parseNotificationForm(rawBody: string): FormFields | undefined {
  const fields: FormFields = {};
  for (const [name, value] of new URLSearchParams(rawBody)) {
    if (Object.hasOwn(fields, name)) return undefined;
    fields[name] = value;
  }
  return fields;
}

/**
 * The string a notification's `sign` covers: every field but `sign` and
 * `sign_type`, sorted by name (code-unit order, which is ASCII order for
 * Alipay's names), joined as raw `name=value` with `&`. Some open-platform
 * notifications (not payment ones) keep `sign_type` in; `withSignType` builds
 * that variant.
 */
export function notificationSignContent(fields: FormFields, withSignType = false): string {
  return Object.keys(fields)
    .filter((name) => name !== 'sign' && (withSignType || name !== 'sign_type'))
    .sort()
    .map((name) => `${name}=${fields[name]}`)
    .join('&');
}

/** Query values the API accepts; `undefined` and empty strings are left out. */
export type QueryValue = string | number | boolean | undefined | null;

/** Names of the `:params` in a path template, as a union of string literals. */
export type PathParams<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | PathParams<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

/** Fills `:name` segments; a missing or empty parameter is a programmer error. */
export function fillPath(template: string, params: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === '') throw new Error(`path ${template} needs :${name}`);
    return encodeURIComponent(String(value));
  });
}

export function encodeQuery(query: Readonly<Record<string, QueryValue>> = {}): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  }
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

/** Joins the API origin (possibly empty, for same-origin) with a filled path and query. */
export function buildUrl(
  base: string,
  template: string,
  params?: Readonly<Record<string, string | number>>,
  query?: Readonly<Record<string, QueryValue>>,
): string {
  return `${base.replace(/\/+$/, '')}${fillPath(template, params)}${encodeQuery(query)}`;
}

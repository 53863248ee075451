/**
 * The one place where database values become JavaScript values. Money and
 * counts are `bigint` columns; they arrive as strings from the drivers and
 * become safe integers here, or the read fails loudly. Dates (`date` columns)
 * stay as `YYYY-MM-DD` strings so the business day never shifts by time zone.
 */
export const pg_oid_int8 = 20;
export const pg_oid_date = 1082;

export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`int8 value ${text} is outside the safe integer range`);
  return value;
}

export function parseDate(text: string): string {
  return text;
}

export const typeParsers: Record<number, (text: string) => unknown> = {
  [pg_oid_int8]: parseInt8,
  [pg_oid_date]: parseDate,
};

/**
 * One benchmark figure: `value` measured, `limit` the raw floor measured in
 * the same run on the same machine, `ratio` = value ÷ limit. Printed as one
 * JSON line so a later run can be compared line by line.
 */
export interface Figure {
  name: string;
  unit: string;
  value: number;
  limit: number;
  ratio: number;
  [extra: string]: unknown;
}

export function figure(name: string, unit: string, value: number, limit: number, extra: Record<string, unknown> = {}): Figure {
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return { name, unit, value: round(value), limit: round(limit), ratio: round(limit === 0 ? 0 : value / limit), ...extra };
}

export function print(f: Figure): void {
  process.stdout.write(JSON.stringify(f) + '\n');
}

/**
 * A product's spec matrix: each axis (颜色, 尺码 …) with its values, crossed
 * into one spec per SKU in axis order, e.g. 白/黑 × M/L gives 白M, 白L, 黑M, 黑L.
 * Blank values and repeats are dropped, and an axis with no values is left out.
 */
export interface SpecAxis {
  name: string;
  values: readonly string[];
}

export function specMatrix(axes: readonly SpecAxis[]): Record<string, string>[] {
  let specs: Record<string, string>[] = [{}];
  for (const axis of axes) {
    const name = axis.name.trim();
    const values = [...new Set(axis.values.map((v) => v.trim()).filter((v) => v !== ''))];
    if (name === '' || values.length === 0) continue;
    specs = specs.flatMap((spec) => values.map((v) => ({ ...spec, [name]: v })));
  }
  return specs;
}

/** A spec as one line of text (白 / M), for lists and receipts. */
export function specLabel(spec: Readonly<Record<string, string>>): string {
  return Object.values(spec).join(' / ');
}

/** "白色 / M": a SKU's variant values in the order they were defined. Shown alike by sales, stock, purchasing and reports. */
export function specLabel(spec: Record<string, string>): string {
  return Object.values(spec).join(' / ');
}

/** The SKUs and categories a 满减 rule or a coupon is limited to; absent means every line. */
export interface RuleScope {
  skuIds?: readonly string[] | undefined;
  categoryIds?: readonly string[] | undefined;
}

/** What a scope looks at on a line: its SKU, its category and that category's top-level parent. */
export interface ScopedLine {
  skuId: string;
  categoryId?: string | null | undefined;
  parentCategoryId?: string | null | undefined;
}

/**
 * Whether a listed category covers a line: its own category, or the parent
 * its category sits under, since categories are a tree of two levels and an
 * owner who puts 服装满200减20 on 服装 means 服装 › 上衣 too. A child's rule
 * does not reach its parent's own products or its siblings.
 */
export function inCategoryScope(line: ScopedLine, categoryIds: readonly string[] | undefined): boolean {
  if (categoryIds === undefined) return false;
  return (line.categoryId != null && categoryIds.includes(line.categoryId)) || (line.parentCategoryId != null && categoryIds.includes(line.parentCategoryId));
}

/**
 * Whether a rule's scope covers a line. Every matcher of a scope (the
 * engine's thresholds and coupons, and a coupon's give-back on returns) asks
 * this one function, so the counter, the shop and the server agree.
 */
export function inRuleScope(scope: RuleScope | undefined, line: ScopedLine): boolean {
  if (scope === undefined) return true;
  return (scope.skuIds?.includes(line.skuId) ?? false) || inCategoryScope(line, scope.categoryIds);
}

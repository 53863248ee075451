/**
 * Commission arithmetic, pure so it can be checked by hand.
 *
 * A rule pays either a percentage (basis points) of net sales or a fixed
 * number of fen per item sold, by tiers of the assistant's monthly net
 * sales. Tiers are half-open ranges [fromFen, toFen) that may leave gaps
 * (no commission there) but must not overlap. The tier the month's total
 * falls in applies to all of the rule's sales that month (not marginally).
 *
 * Each order line is paid by exactly one rule, the most specific one:
 * a rule for its SKU, else one for its category, else one for its
 * category's parent (a rule on 服装 pays for 服装 › 上衣, as a 满减 on 服装
 * covers it), else one for the seller's role; a line no rule covers earns nothing. A month whose returns exceed its
 * sales owes no negative commission: the statement is never below zero.
 */
import { formatFen } from '../money.js';

export interface Tier {
  fromFen: number;
  /** Exclusive; null for no upper end. */
  toFen: number | null;
  rateBp?: number | undefined;
  perItemFen?: number | undefined;
}

export interface CommissionRule {
  id: string;
  scope: 'role' | 'category' | 'sku';
  role?: string | null | undefined;
  categoryId?: string | null | undefined;
  skuId?: string | null | undefined;
  kind: 'percent' | 'per_item';
  tiers: Tier[];
}

export interface SalesLine {
  skuId: string;
  categoryId: string;
  /** The parent of the line's category, when it is a child category (two levels at most). */
  parentCategoryId?: string | null | undefined;
  /** Net of returns in the month; negative when returns of earlier sales exceed this month's. */
  netFen: number;
  qty: number;
}

/** Why a set of tiers is refused, or null when it is fine. */
export function tierProblem(kind: CommissionRule['kind'], tiers: readonly Tier[]): string | null {
  if (tiers.length === 0) return '至少需要一个阶梯';
  for (const t of tiers) {
    if (t.toFen !== null && t.toFen <= t.fromFen) return `阶梯 ${formatFen(t.fromFen)}–${formatFen(t.toFen)} 的上限必须大于下限`;
    if (kind === 'percent' && (t.rateBp === undefined || t.perItemFen !== undefined)) return '按比例提成的每个阶梯须填比例（基点），不填每件金额';
    if (kind === 'per_item' && (t.perItemFen === undefined || t.rateBp !== undefined)) return '按件提成的每个阶梯须填每件金额，不填比例';
  }
  const sorted = [...tiers].sort((a, b) => a.fromFen - b.fromFen);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (prev.toFen === null || prev.toFen > cur.fromFen) return `提成阶梯重叠：${formatFen(prev.fromFen)}–${prev.toFen === null ? '∞' : formatFen(prev.toFen)} 与 ${formatFen(cur.fromFen)}–${cur.toFen === null ? '∞' : formatFen(cur.toFen)}`;
  }
  return null;
}

export function tierFor(tiers: readonly Tier[], monthTotalFen: number): Tier | null {
  return tiers.find((t) => monthTotalFen >= t.fromFen && (t.toFen === null || monthTotalFen < t.toFen)) ?? null;
}

/** The rule that pays a line: SKU over its own category over the parent category over role. */
export function ruleFor(line: Pick<SalesLine, 'skuId' | 'categoryId' | 'parentCategoryId'>, role: string, rules: readonly CommissionRule[]): CommissionRule | null {
  const parent = line.parentCategoryId ?? null;
  return (
    rules.find((r) => r.scope === 'sku' && r.skuId === line.skuId) ??
    rules.find((r) => r.scope === 'category' && r.categoryId === line.categoryId) ??
    (parent === null ? undefined : rules.find((r) => r.scope === 'category' && r.categoryId === parent)) ??
    rules.find((r) => r.scope === 'role' && r.role === role) ??
    null
  );
}

export interface CommissionResult {
  netSalesFen: number;
  amountFen: number;
  byRule: { ruleId: string; kind: CommissionRule['kind']; basisFen: number; qty: number; tier: Tier | null; amountFen: number }[];
}

/**
 * One assistant's commission for a month. A percentage is applied to the
 * rule's whole basis and floored once, so splitting sales across many lines
 * loses no fen to rounding.
 */
export function computeCommission(lines: readonly SalesLine[], role: string, rules: readonly CommissionRule[]): CommissionResult {
  const netSalesFen = lines.reduce((s, l) => s + l.netFen, 0);
  const basis = new Map<string, { rule: CommissionRule; fen: number; qty: number }>();
  for (const line of lines) {
    const rule = ruleFor(line, role, rules);
    if (!rule) continue;
    const b = basis.get(rule.id) ?? { rule, fen: 0, qty: 0 };
    b.fen += line.netFen;
    b.qty += line.qty;
    basis.set(rule.id, b);
  }
  const byRule = [...basis.values()].map(({ rule, fen, qty }) => {
    const tier = tierFor(rule.tiers, netSalesFen);
    let amountFen = 0;
    if (tier && rule.kind === 'percent') amountFen = Math.floor((fen * (tier.rateBp ?? 0)) / 10_000);
    if (tier && rule.kind === 'per_item') amountFen = qty * (tier.perItemFen ?? 0);
    return { ruleId: rule.id, kind: rule.kind, basisFen: fen, qty, tier, amountFen };
  });
  const total = byRule.reduce((s, r) => s + r.amountFen, 0);
  return { netSalesFen, amountFen: Math.max(0, total), byRule };
}

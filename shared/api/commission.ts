import { z } from 'zod';
import { fen, idOf } from './common.js';

export const commission_tiers_max = 10;
export const commission_rate_bp_max = 10_000;
export const performance_days_max = 366;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');
export const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM');

export const tierInput = z.strictObject({
  fromFen: fen.min(0),
  toFen: fen.min(1).nullable(),
  rateBp: z.number().int().min(0).max(commission_rate_bp_max).optional(),
  perItemFen: fen.min(0).optional(),
});

export const commissionRuleRequest = z
  .strictObject({
    scope: z.enum(['role', 'category', 'sku']),
    role: z.enum(['owner', 'manager', 'assistant']).optional(),
    categoryId: idOf('cat').optional(),
    skuId: idOf('sku').optional(),
    kind: z.enum(['percent', 'per_item']),
    tiers: z.array(tierInput).min(1).max(commission_tiers_max),
  })
  .refine((r) => (r.scope === 'role') === (r.role !== undefined) && (r.scope === 'category') === (r.categoryId !== undefined) && (r.scope === 'sku') === (r.skuId !== undefined), {
    message: '按角色填 role，按品类填 categoryId，按商品填 skuId，只填与范围对应的一项',
    path: ['scope'],
  });
export type CommissionRuleRequest = z.infer<typeof commissionRuleRequest>;

export const commissionRuleView = z.object({
  id: z.string(),
  scope: z.enum(['role', 'category', 'sku']),
  role: z.string().nullable(),
  categoryId: z.string().nullable(),
  skuId: z.string().nullable(),
  targetName: z.string(),
  kind: z.enum(['percent', 'per_item']),
  tiers: z.array(z.object({ fromFen: fen, toFen: fen.nullable(), rateBp: z.number().int().optional(), perItemFen: fen.optional() })),
});
export const commissionRulesResponse = z.object({ items: z.array(commissionRuleView) });

export const performanceQuery = z.strictObject({ from: day, to: day, storeId: idOf('sto').optional() });
export const performanceResponse = z.object({
  from: z.string(),
  to: z.string(),
  items: z.array(
    z.object({
      staffId: z.string(),
      name: z.string(),
      saleCount: z.number().int(),
      salesFen: fen,
      discountFen: fen,
      returnsFen: fen,
      netSalesFen: fen,
      items: z.number().int(),
      avgTicketFen: fen,
      itemsPerSaleCentis: z.number().int(),
    }),
  ),
});

export const statementsQuery = z.strictObject({ month });
export const commissionStatementView = z.object({
  staffId: z.string(),
  name: z.string(),
  role: z.string(),
  month: z.string(),
  netSalesFen: fen,
  amountFen: fen,
  status: z.enum(['draft', 'confirmed']),
  confirmedAt: z.string().nullable(),
  byRule: z.array(z.object({ ruleId: z.string(), kind: z.string(), basisFen: fen, qty: z.number().int(), amountFen: fen })),
});
export const commissionStatementsResponse = z.object({ month: z.string(), items: z.array(commissionStatementView) });
export const confirmStatementRequest = z.strictObject({ staffId: idOf('stf'), month, expectedAmountFen: fen.min(0) });
export const confirmStatementResponse = z.object({ statement: commissionStatementView });

import type { Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { LedgerAccountType } from './tables.js';

export interface AccountDefinition {
  /** The stable key other modules post to; it never changes once posted to. */
  code: string;
  /** The display number, after the numbering of China's enterprise chart of accounts. */
  number: string;
  name: string;
  type: LedgerAccountType;
}

/**
 * The standard chart every merchant gets. Payment platforms settle later
 * than they collect, so money taken by WeChat Pay, Alipay or other tenders
 * sits in a clearing account until the platform's settlement moves it to the
 * bank; reconciliation posts those moves.
 */
export const standardAccounts = [
  { code: 'cash', number: '1001', name: '库存现金', type: 'asset' },
  { code: 'bank', number: '1002', name: '银行存款', type: 'asset' },
  { code: 'clearing_wechat', number: '101201', name: '微信支付清算', type: 'asset' },
  { code: 'clearing_alipay', number: '101202', name: '支付宝清算', type: 'asset' },
  { code: 'clearing_other', number: '101203', name: '其他支付清算', type: 'asset' },
  { code: 'receivables', number: '1122', name: '应收账款', type: 'asset' },
  { code: 'inventory', number: '1405', name: '库存商品', type: 'asset' },
  { code: 'inventory_in_transit', number: '1402', name: '在途物资', type: 'asset' },
  { code: 'payables', number: '2202', name: '应付账款', type: 'liability' },
  { code: 'points_liability', number: '220401', name: '积分负债', type: 'liability' },
  { code: 'unapplied_receipts', number: '224101', name: '其他应付款-待退款项', type: 'liability' },
  // A drawer that counts short or over waits here (待处理财产损溢) until the owner decides who bears it.
  { code: 'cash_over_short', number: '190101', name: '待处理财产损溢-现金长短款', type: 'asset' },
  { code: 'commission_payable', number: '221102', name: '应付提成', type: 'liability' },
  // Stored value (#17): members' own money paid in ahead of purchases is owed to them (预收账款) until spent or refunded;
  // a sale paid from it moves through its clearing account like any other tender.
  { code: 'stored_value_liability', number: '220301', name: '预收账款-会员储值', type: 'liability' },
  { code: 'clearing_stored_value', number: '101204', name: '储值消费清算', type: 'asset' },
  { code: 'owner_equity', number: '4001', name: '实收资本', type: 'equity' },
  { code: 'sales_revenue', number: '6001', name: '主营业务收入', type: 'revenue' },
  { code: 'sales_discounts', number: '600101', name: '销售折扣', type: 'contra_revenue' },
  { code: 'cost_of_goods', number: '6401', name: '主营业务成本', type: 'expense' },
  { code: 'stock_adjustments', number: '660201', name: '库存盘盈盘亏', type: 'expense' },
  { code: 'commission_expense', number: '660102', name: '销售提成', type: 'expense' },
  { code: 'petty_expenses', number: '660202', name: '管理费用-备用金支出', type: 'expense' },
  { code: 'fees', number: '660301', name: '手续费', type: 'expense' },
  { code: 'rounding', number: '671101', name: '其他收益/损失', type: 'expense' },
] as const satisfies readonly AccountDefinition[];

export type AccountCode = (typeof standardAccounts)[number]['code'];

const accountCodes: ReadonlySet<string> = new Set(standardAccounts.map((a) => a.code));

export function isAccountCode(value: string): value is AccountCode {
  return accountCodes.has(value);
}

/** Assets, expenses and contra-revenue grow on the debit side; the rest on the credit side. */
export function normalSideOf(type: LedgerAccountType): 'debit' | 'credit' {
  return type === 'asset' || type === 'expense' || type === 'contra_revenue' ? 'debit' : 'credit';
}

const chartSeen = new Set<string>();

/**
 * Creates the standard accounts a merchant lacks and leaves the others as
 * they are, so it is safe to call on every posting and from concurrent
 * transactions: a second caller waits on the first one's rows, then skips them.
 */
export async function ensureChartOfAccounts(trx: Transaction<DB>, merchantId: string): Promise<void> {
  // Accounts are never deleted, so once a merchant's full chart is seen it stays; this saves a write per posting.
  if (chartSeen.has(merchantId)) return;
  const present = await trx.selectFrom('ledger_accounts').select((eb) => eb.fn.countAll<number>().as('n')).where('merchant_id', '=', merchantId).executeTakeFirstOrThrow();
  if (Number(present.n) >= standardAccounts.length) {
    chartSeen.add(merchantId);
    return;
  }
  await trx
    .insertInto('ledger_accounts')
    .values(standardAccounts.map((a) => ({ merchant_id: merchantId, code: a.code, number: a.number, name: a.name, type: a.type, normal_side: normalSideOf(a.type) })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

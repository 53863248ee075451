import type { AccountCode } from '../_ledger/index.js';

/** Where each tender's money sits until it settles: cash in the drawer, platform money in a clearing account, credit sales in receivables. */
export const tenderAccounts: Readonly<Record<string, AccountCode>> = {
  cash: 'cash',
  card: 'clearing_other',
  ecny: 'clearing_other',
  wechat: 'clearing_wechat',
  alipay: 'clearing_alipay',
  /** Sales on account (赊账) are owed by the trade customer until collected. */
  account: 'receivables',
  /** Stored value (#17): the stored-value module moves it on to principal (预收账款) and bonus (销售折扣) when it draws the balance. */
  stored_value: 'clearing_stored_value',
};

export function tenderAccount(method: string): AccountCode {
  const account = tenderAccounts[method];
  if (!account) throw new Error(`no account for tender ${method}`);
  return account;
}

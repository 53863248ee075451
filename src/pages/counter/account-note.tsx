import { Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import type { TradeCustomerView } from '../../../shared/api/credit';
import { formatFen } from '../../../shared/money';
import type { Receipt } from '../../../shared/receipt/model';
import { call } from '../../services/api';
import { signedFen } from '../../services/counter-account';
import { tenderLabel } from '../../services/tenders';
import './account.less';

/** Under a sale on account's receipt: whose account it went on and what they owe now, to show or read out to the customer. */
export function AccountNote({ customerId, receipt }: { customerId: string; receipt: Receipt }) {
  const [customer, setCustomer] = useState<TradeCustomerView | null>(null);
  useEffect(() => {
    call('tradeCustomer', { params: { customerId }, quiet: true })
      .then((r) => setCustomer(r.customer))
      .catch(() => undefined);
  }, [customerId]);
  const onAccountFen = receipt.tenders.filter((t) => t.label === tenderLabel('account')).reduce((s, t) => s + t.fen, 0);
  return (
    <View id='account-note' className='account-note'>
      <View className='section-title'>赊账 {formatFen(onAccountFen)}</View>
      {customer ? (
        <View>
          <View>客户：{customer.name}</View>
          <View>
            累计欠款：<Text id='account-owed' className='price'>{formatFen(customer.balanceFen)}</Text>
          </View>
          <View className='muted'>
            剩余额度 {signedFen(customer.availableFen)} · 账期 {customer.termsDays} 天
          </View>
        </View>
      ) : (
        <View className='muted'>正在读取客户欠款…</View>
      )}
    </View>
  );
}

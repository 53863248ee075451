import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { useState } from 'react';
import type { StatementResponse } from '../../../../shared/api/purchasing';
import { formatFen } from '../../../../shared/money';
import { call } from '../../../services/api';
import { monthToDate, shanghaiDay } from '../../../services/purchasing';
import { purchasing_pages, staffOrSignIn } from './session';
import './purchasing.less';

const kind_labels = { receipt: '收货', return: '退货', payment: '付款' } as const;

function previousMonth(period: { from: string }): { from: string; to: string } {
  const first = new Date(`${period.from}T00:00:00Z`);
  const lastOfPrevious = new Date(first.getTime() - 86_400_000).toISOString().slice(0, 10);
  return { from: `${lastOfPrevious.slice(0, 8)}01`, to: lastOfPrevious };
}

/** A supplier's statement (对账单) for a month: opening balance, every receipt, return and payment, closing balance. */
export default function Statement() {
  const { params } = useRouter();
  const supplierId = params.supplierId ?? '';
  const [period, setPeriod] = useState(() => monthToDate(shanghaiDay(new Date())));
  const [st, setSt] = useState<StatementResponse | null>(null);

  const load = (p = period) => {
    if (!staffOrSignIn(`${purchasing_pages.statement}?supplierId=${supplierId}`) || !supplierId) return;
    call('supplierStatement', { params: { supplierId }, query: p })
      .then(setSt)
      .catch(() => undefined);
  };
  useDidShow(() => load());
  const earlier = () => {
    const p = previousMonth(period);
    setPeriod(p);
    load(p);
  };

  if (!st) return <View className='page'><View className='section muted'>加载中…</View></View>;
  return (
    <View className='page'>
      <View className='section' id='statement-head'>
        <View className='section-title'>{st.supplier.name}</View>
        <View className='row'>
          <Text className='muted'>{st.from} 至 {st.to}</Text>
          <Text className='link' onClick={earlier}>‹ 上个月</Text>
        </View>
        <View className='row' style={{ marginTop: '12px' }}>
          <Text>期初应付</Text>
          <Text id='statement-opening'>{formatFen(st.openingFen)}</Text>
        </View>
        <View className='row muted'><Text>＋ 收货</Text><Text>{formatFen(st.receiptsFen)}</Text></View>
        <View className='row muted'><Text>－ 退货</Text><Text>{formatFen(st.returnsFen)}</Text></View>
        <View className='row muted'><Text>－ 付款</Text><Text>{formatFen(st.paymentsFen)}</Text></View>
        <View className='row'>
          <Text>期末应付</Text>
          <Text className='figure' id='statement-closing'>{formatFen(st.closingFen)}</Text>
        </View>
      </View>
      <View className='section' id='statement-rows'>
        <View className='section-title'>明细</View>
        {st.rows.length === 0 && <View className='muted'>本期没有收货、退货或付款。</View>}
        {st.rows.map((r) => (
          <View key={r.refId} className='statement-row' data-ref-id={r.refId} onClick={() => r.poId && void Taro.navigateTo({ url: `${purchasing_pages.order}?id=${r.poId}` })}>
            <View className='row'>
              <Text>{r.businessDate} · {kind_labels[r.kind]}</Text>
              <Text className={r.amountFen > 0 ? 'price' : ''}>{r.amountFen > 0 ? '+' : ''}{formatFen(r.amountFen)}</Text>
            </View>
            <View className='row muted'>
              <Text>{r.refId}</Text>
              <Text>余 {formatFen(r.balanceFen)}</Text>
            </View>
          </View>
        ))}
      </View>
    </View>
  );
}

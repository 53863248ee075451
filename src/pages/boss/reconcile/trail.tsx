import { Text, View } from '@tarojs/components';
import { useDidShow, useRouter } from '@tarojs/taro';
import { useState } from 'react';
import type { ResponseOf } from '../../../../shared/api/routes';
import { formatFen } from '../../../../shared/money';
import { call } from '../../../services/api';
import './index.less';

/** A payment's whole trail (state changes, notifications, refunds), reached from a reconciliation difference. */
export default function PaymentTrail() {
  const paymentId = useRouter().params.paymentId ?? '';
  const [trail, setTrail] = useState<ResponseOf<'paymentTrail'> | null>(null);
  useDidShow(() => void call('paymentTrail', { params: { paymentId } }).then(setTrail).catch(() => undefined));
  if (!trail) return <View className='page'><View className='section muted'>加载中…</View></View>;
  const p = trail.payment;
  return (
    <View className='page'>
      <View className='section'>
        <View className='section-title'>{p.outTradeNo}</View>
        <View className='row'><Text>金额</Text><Text>{formatFen(p.amountFen)}</Text></View>
        <View className='row'><Text>状态</Text><Text>{p.status}</Text></View>
        <View className='row'><Text>平台单号</Text><Text>{p.platformTradeNo ?? '—'}</Text></View>
      </View>
      <View className='section'>
        <View className='section-title'>经过</View>
        {trail.events.map((e, i) => (
          <View key={i} className='rc-run'><Text>{e.at.slice(0, 19).replace('T', ' ')} · {e.event}（{e.source}）</Text></View>
        ))}
        {trail.notifications.map((n) => (
          <View key={`n${n.id}`} className='rc-run muted'><Text>{n.receivedAt.slice(0, 19).replace('T', ' ')} · 通知 {n.outcome}</Text></View>
        ))}
        {trail.refunds.map((r) => (
          <View key={r.id} className='rc-run'><Text>退款 {formatFen(r.amountFen)} · {r.status}</Text></View>
        ))}
      </View>
    </View>
  );
}

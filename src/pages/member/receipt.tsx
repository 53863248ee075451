import { View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { Receipt } from '../../../shared/receipt/model';
import { call } from '../../services/api';
import { ReceiptView } from '../../components/receipt-view';
import './member.less';

/** One of the member's own orders as its receipt (#17). */
export default function MemberReceiptPage() {
  const { params } = useRouter();
  const orderId = params.orderId ?? '';
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    call('memberOrderReceipt', { params: { orderId }, as: 'shopper', quiet: true })
      .then((r) => setReceipt(r.receipt))
      .catch((e: unknown) => setFailed(e instanceof Error ? e.message : '找不到这笔订单'));
  }, [orderId]);
  if (failed) return <View className='page'><View className='section' id='member-receipt-error'>{failed}</View></View>;
  if (!receipt) return <View className='page muted'>正在打开小票…</View>;
  return (
    <View className='page'>
      <View className='section' id='member-receipt'>
        <ReceiptView receipt={receipt} />
      </View>
    </View>
  );
}

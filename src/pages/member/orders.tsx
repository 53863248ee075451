import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import type { MemberOrderItem } from '../../../shared/api/members';
import { formatFen } from '../../../shared/money';
import { beijingTimeText } from '../../../shared/beijing-time';
import { call, showError } from '../../services/api';
import './member.less';

const channelLabels: Record<string, string> = { counter: '门店消费', self_service: '小程序下单' };
const statusLabels: Record<string, string> = { paid: '已完成', partially_refunded: '部分退货', refunded: '已退货' };

/** 我的订单 (#17): the member's orders from the counter and the shop; each opens its receipt. */
export default function MemberOrdersPage() {
  const [items, setItems] = useState<MemberOrderItem[] | null>(null);
  useDidShow(() => {
    call('memberOrders', { as: 'shopper', quiet: true })
      .then((r) => setItems(r.items))
      .catch(showError);
  });
  if (!items) return <View className='page muted'>正在加载订单…</View>;
  return (
    <View className='page'>
      <View className='section' id='member-orders'>
        {items.length === 0 && <View className='muted'>还没有订单</View>}
        {items.map((o) => (
          <View key={o.id} className='member-row member-order' data-order-id={o.id} onClick={() => void Taro.navigateTo({ url: `/pages/member/receipt?orderId=${o.id}` })}>
            <View>
              <View>{o.storeName} · {channelLabels[o.channel] ?? o.channel}</View>
              <View className='member-row-sub'>{beijingTimeText(o.createdAt)} · {statusLabels[o.status] ?? o.status}{o.pointsEarned > 0 ? ` · 积分 +${o.pointsEarned}` : ''}</View>
            </View>
            <Text>{formatFen(o.totalFen)} ›</Text>
          </View>
        ))}
      </View>
    </View>
  );
}

import { View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import type { ReservationStatus, ReservationView } from '../../../shared/api/reservations';
import { call, showError } from '../../services/api';
import './member.less';

// Said as the shopper would; the counter's module has the same words but brings the counter's cart with it.
const statusLabels: Record<ReservationStatus, string> = { active: '待取货', picked_up: '已取货', expired: '已过期', cancelled: '已取消' };

/** 我的预约 (#17): reservations the member made from the shop, with what they hold and by when to pick up. */
export default function MemberReservationsPage() {
  const [items, setItems] = useState<ReservationView[] | null>(null);
  useDidShow(() => {
    call('shopReservations', { as: 'shopper', quiet: true })
      .then((r) => setItems(r.items))
      .catch(showError);
  });
  if (!items) return <View className='page muted'>正在加载预约…</View>;
  return (
    <View className='page'>
      <View className='section' id='member-reservations'>
        {items.length === 0 && <View className='muted'>还没有预约</View>}
        {items.map((r) => (
          <View key={r.id} className='member-row'>
            <View>
              <View>{r.lines.map((l) => `${l.name} ×${l.qty}`).join('，')}</View>
              <View className='member-row-sub'>取货截止 {r.pickupBy}</View>
            </View>
            <View>{statusLabels[r.status]}</View>
          </View>
        ))}
      </View>
    </View>
  );
}

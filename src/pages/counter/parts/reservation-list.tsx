import { Button, Text, View } from '@tarojs/components';
import type { PricingContext } from '../../../../shared/api/orders';
import type { ReservationStatus, ReservationView } from '../../../../shared/api/reservations';
import { formatFen } from '../../../../shared/money';
import { pickupPrice, reservationStatusLabels } from '../../../services/reservations';
import { busyProps } from '../../../services/stock-ops';

const statuses: ReservationStatus[] = ['active', 'picked_up', 'expired', 'cancelled'];

interface Props {
  status: ReservationStatus;
  items: ReservationView[];
  /** The store's pricing context, which prices a pickup as the server will. */
  context: PricingContext | null;
  /** Today in Shanghai: a reservation past its pickup day can no longer be picked up. */
  today: string;
  onStatus: (status: ReservationStatus) => void;
  onCancel: (r: ReservationView) => void;
  onPickUp: (r: ReservationView) => void;
}

/** The store's reservations by status; an active one can be cancelled, or picked up and paid in cash. */
export function ReservationList({ status, items, context, today, onStatus, onCancel, onPickUp }: Props) {
  return (
    <View className='section' id='reservation-list'>
      <View className='row'>
        {statuses.map((s) => (
          <Text key={s} className={s === status ? 'link offline-tag' : 'link'} id={`reservation-tab-${s}`} onClick={() => onStatus(s)}>
            {reservationStatusLabels[s]}
          </Text>
        ))}
      </View>
      {items.length === 0 && <View className='muted empty'>没有{reservationStatusLabels[status]}的预约</View>}
      {items.map((r) => (
        <View key={r.id} className='list-item reservation-card' data-reservation-id={r.id}>
          <View className='row'>
            <Text>
              {r.customerName} {r.customerPhone}
            </Text>
            <Text className='muted'>
              {reservationStatusLabels[r.status]} · {r.pickupBy} 前取货
            </Text>
          </View>
          {r.lines.map((l) => (
            <View key={l.skuId} className='muted'>
              {l.name} {l.spec} × {l.qty}
            </View>
          ))}
          {r.note && <View className='muted'>备注：{r.note}</View>}
          {r.status === 'active' && (
            <View className='row'>
              <Button className='cancel-button' size='mini' onClick={() => onCancel(r)}>
                取消预约
              </Button>
              <Button className='pickup-button' size='mini' type='primary' {...busyProps(r.pickupBy < today)} onClick={() => onPickUp(r)}>
                取货收现 {formatFen(pickupPrice(r, context).totalFen)}
              </Button>
            </View>
          )}
        </View>
      ))}
    </View>
  );
}

import { View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { formatFen } from '../../../shared/money';
import { call } from '../../services/api';
import { payment_poll_interval_ms } from '../../services/counter-pay';
import { counterRefundLine, refundInFlight, type RefundView } from '../../services/pay-admin';

/** The counter stops asking after this many polls; the server keeps going and the manager sees failures. */
const refund_status_polls_max = 30;

/** Where the platform refunds of a return stand: on their way, back in the customer's app, or left for the manager. */
export function RefundStatus(props: { orderId: string; returnId: string }) {
  const [items, setItems] = useState<RefundView[] | null>(null);
  const [polls, setPolls] = useState(0);

  useEffect(() => {
    if (polls >= refund_status_polls_max) return;
    if (items && !items.some((r) => refundInFlight(r.status))) return;
    const timer = setTimeout(
      () => {
        call('orderRefunds', { params: { orderId: props.orderId }, quiet: true })
          .then((r) => setItems(r.items.filter((x) => x.returnId === props.returnId)))
          .catch(() => undefined)
          .finally(() => setPolls((n) => n + 1));
      },
      polls === 0 ? 0 : payment_poll_interval_ms,
    );
    return () => clearTimeout(timer);
  }, [polls, items, props.orderId, props.returnId]);

  if (!items || items.length === 0) return null;
  return (
    <View id='platform-refunds'>
      {items.map((r) => (
        <View key={r.id} className={refundInFlight(r.status) || r.status === 'succeeded' ? 'muted platform-refund' : 'offline-tag platform-refund'} data-status={r.status}>
          {formatFen(r.amountFen)} · {counterRefundLine(r)}
        </View>
      ))}
    </View>
  );
}

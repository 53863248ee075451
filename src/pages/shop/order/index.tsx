import { Button, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { OrderView } from '../../../../shared/api/orders';
import type { PaymentView } from '../../../../shared/api/payments';
import { formatFen } from '../../../../shared/money';
import { call } from '../../../services/shop-api';
import { clearCart } from '../../../services/cart-store';
import { payment_poll_interval_ms } from '../../../services/payment-poll';
import { shopOrderStatusText } from '../../../services/shop-checkout';
import { currentStoreCode } from '../../../services/store-code';
import { confirmReceiptSupported, openConfirmReceipt, type ConfirmReceiptTarget } from '../../../services/confirm-receipt';

/** After this many polls without an answer the page stops and says so; the server keeps asking the platform. */
const shop_payment_polls_max = 60;

/**
 * The 取货码 large, with the table the shopper ordered from. Its QR is on the
 * receipt page (a sub-package): the QR encoder would take the main package,
 * which the shopper downloads on the first scan, past its size limit.
 */
function PickupCard({ order }: { order: OrderView }) {
  return (
    <View className='section' id='pickup'>
      <View className='muted' style={{ textAlign: 'center' }}>
        取货码
      </View>
      <View id='pickup-code' style={{ fontSize: '64px', fontWeight: 'bold', letterSpacing: '8px', textAlign: 'center' }}>
        {order.pickupCode}
      </View>
      {order.tableNo && (
        <View id='pickup-table' style={{ textAlign: 'center' }}>
          桌号 {order.tableNo}
        </View>
      )}
      <View className='muted' style={{ textAlign: 'center' }}>
        {order.handedOverAt ? '商品已交付' : '请到柜台报取货码，或点“查看电子小票”出示二维码，店员核对后交货'}
      </View>
    </View>
  );
}

export default function ShopOrder() {
  const { params } = useRouter();
  const orderId = params.orderId ?? '';
  const paymentId = params.paymentId ?? '';
  const [order, setOrder] = useState<OrderView | null>(null);
  const [payment, setPayment] = useState<PaymentView | null>(null);
  const [polls, setPolls] = useState(0);
  const [confirmable, setConfirmable] = useState<ConfirmReceiptTarget | null>(null);

  useEffect(() => {
    if (!orderId) return;
    if (!paymentId) {
      void call('shopOrder', { params: { orderId } }).then((r) => {
        setOrder(r.order);
        setConfirmable(r.confirmReceipt);
      });
      return;
    }
    if (payment && payment.status !== 'pending') return;
    if (polls >= shop_payment_polls_max) return;
    const timer = setTimeout(
      () => {
        call('payment', { params: { paymentId }, quiet: true })
          .then((r) => {
            setOrder(r.order);
            setPayment(r.payment);
            if (r.payment.status === 'succeeded') clearCart(currentStoreCode());
          })
          .catch(() => undefined)
          .finally(() => setPolls((n) => n + 1));
      },
      polls === 0 ? 0 : payment_poll_interval_ms,
    );
    return () => clearTimeout(timer);
  }, [orderId, paymentId, polls, payment]);

  const paid = payment?.status === 'succeeded' || order?.status === 'paid';
  const title = paid
    ? '支付成功'
    : payment?.status === 'failed' || payment?.status === 'closed'
      ? `支付未完成：${payment.failure?.message || '交易已关闭'}`
      : polls >= shop_payment_polls_max
        ? '还没有收到支付结果，请稍后再看'
        : '正在确认支付结果…';

  return (
    <View className='page'>
      <View className='section' id='shop-order' data-status={paid ? 'paid' : (payment?.status ?? 'loading')}>
        <View className='section-title' id='shop-order-status'>
          {title}
        </View>
        {order && (
          <View>
            <View className='muted'>
              订单状态：{shopOrderStatusText(order.status)}
              {order.receiptNo ? ` · 单号 ${order.receiptNo}` : ''}
            </View>
            {order.lines.map((l) => (
              <View key={l.id} className='product-row'>
                <Text>
                  {l.name}
                  {l.spec ? ` ${l.spec}` : ''} × {l.qty}
                </Text>
                <Text>{formatFen(l.netFen)}</Text>
              </View>
            ))}
            {order.discountFen > 0 && (
              <View className='row'>
                <Text className='muted'>已优惠（已计入上面各项）</Text>
                <Text className='muted'>-{formatFen(order.discountFen)}</Text>
              </View>
            )}
            <View className='row'>
              <Text>实付</Text>
              <Text className='price' id='shop-order-total'>
                {formatFen(order.totalFen)}
              </Text>
            </View>
            {order.storedValueFen > 0 && (
              <View className='muted' id='shop-order-stored-value'>
                其中储值支付 {formatFen(order.storedValueFen)}
                {order.storedValueFen < order.totalFen ? `，线上支付 ${formatFen(order.totalFen - order.storedValueFen)}` : ''}
              </View>
            )}
            {paid && order.pointsEarned > 0 && <View className='muted'>本单获得积分 {order.pointsEarned}</View>}
          </View>
        )}
      </View>
      {confirmReceiptSupported && paid && confirmable && (
        <Button id='shop-order-confirm-receipt' onClick={() => void openConfirmReceipt(confirmable).catch(() => undefined)}>
          确认收货
        </Button>
      )}
      {paid && order?.pickupCode && <PickupCard order={order} />}
      {paid && order?.receiptToken && (
        <Button id='shop-order-receipt' onClick={() => void Taro.navigateTo({ url: `/pages/receipt/index?token=${order.receiptToken}` })}>
          查看电子小票
        </Button>
      )}
      <Button onClick={() => void Taro.switchTab({ url: '/pages/shop/home/index' })}>继续逛逛</Button>
    </View>
  );
}

import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { useState } from 'react';
import type { PaymentView } from '../../../../shared/api/payments';
import type { ResponseOf } from '../../../../shared/api/routes';
import { formatFen } from '../../../../shared/money';
import { call } from '../../../services/api';
import { getSession } from '../../../services/session';
import { shortBeijingTime } from '../../../services/boss-dashboard';
import { eventSourceText, notificationOutcomeText, paymentEventText, refundStatusText, shippingEventText, shippingOutcomeText, shippingTriggerText } from '../../../services/pay-admin';
import './payments.less';

type Trail = ResponseOf<'paymentTrail'>;

const paymentStatus: Readonly<Record<PaymentView['status'], string>> = { pending: '等待付款', succeeded: '已支付', failed: '失败', closed: '已关闭' };
const modes: Readonly<Record<PaymentView['mode'], string>> = { code: '付款码', qr: '收款码', jsapi: '小程序' };

/** One payment's whole story (or, from an order, each of its attempts): state changes, notifications with their outcomes, refunds. */
export default function PaymentTrail() {
  const { params } = useRouter();
  const [trail, setTrail] = useState<Trail | null>(null);
  const [attempts, setAttempts] = useState<PaymentView[] | null>(null);

  useDidShow(() => {
    if (params.paymentId) {
      void call('paymentTrail', { params: { paymentId: params.paymentId } }).then(setTrail).catch(() => undefined);
    } else if (params.orderId) {
      void call('orderPayments', { params: { orderId: params.orderId } })
        .then((r) => setAttempts(r.items))
        .catch(() => undefined);
    }
  });

  if (attempts) {
    return (
      <View className='page'>
        <View className='section' id='order-attempts'>
          <View className='section-title'>这笔订单的收款（{attempts.length} 次）</View>
          {attempts.length === 0 && <View className='muted'>这笔订单没有微信或支付宝收款。</View>}
          {attempts.map((p) => (
            <View key={p.id} className='trail-item link' onClick={() => void Taro.navigateTo({ url: `/pages/boss/payments/trail?paymentId=${p.id}` })}>
              {shortBeijingTime(p.createdAt)} · {p.channel === 'wechat' ? '微信' : '支付宝'}
              {modes[p.mode]} · {formatFen(p.amountFen)} · {paymentStatus[p.status]} ›
            </View>
          ))}
        </View>
      </View>
    );
  }
  if (!trail) return <View className='page muted'>加载中…</View>;
  const p = trail.payment;
  return (
    <View className='page'>
      <View className='section' id='trail-payment' data-status={p.status}>
        <View className='row'>
          <Text className='section-title'>
            {p.channel === 'wechat' ? '微信' : '支付宝'}
            {modes[p.mode]} · {paymentStatus[p.status]}
          </Text>
          <Text className='price'>{formatFen(p.amountFen)}</Text>
        </View>
        <View className='muted'>商户单号 {p.outTradeNo}</View>
        <View className='muted'>平台单号 {p.platformTradeNo ?? '—'}</View>
        {p.settledBy && <View className='muted'>确认来源：{p.settledBy === 'notify' ? '平台通知' : p.settledBy === 'query' ? '主动查询' : p.settledBy}</View>}
        {p.failure && <View className='warn'>失败原因：{p.failure.message || p.failure.code}</View>}
        {p.refundedFen > 0 && <View className='muted'>已退 {formatFen(p.refundedFen)}</View>}
        {p.surplus && <View className='warn'>这是一笔多余的付款（订单已由另一笔付清），需要退还顾客</View>}
      </View>

      {getSession('staff')?.staff.role === 'owner' && (
        <View className='section row' id='trail-split-log' onClick={() => void Taro.navigateTo({ url: `/pages/boss/split/index?paymentId=${p.id}` })}>
          <Text>分账日志</Text>
          <Text className='muted'>查看 ›</Text>
        </View>
      )}

      <View className='section' id='trail-events'>
        <View className='section-title'>经过</View>
        {trail.events.map((e, i) => (
          <View key={i} className='trail-item trail-event'>
            <View className='row'>
              <Text>{paymentEventText(e.event)}</Text>
              <Text className='muted'>{shortBeijingTime(e.at)}</Text>
            </View>
            <View className='muted'>来源：{eventSourceText(e.source)}</View>
          </View>
        ))}
      </View>

      <View className='section' id='trail-notifications'>
        <View className='section-title'>平台通知（{trail.notifications.length}）</View>
        {trail.notifications.length === 0 && <View className='muted'>没有收到平台通知；结果来自主动查询。</View>}
        {trail.notifications.map((n) => (
          <View key={n.id} className='trail-item trail-notification'>
            <View className='row'>
              <Text>
                {n.kind === 'refund' ? '退款通知' : '支付通知'}：{notificationOutcomeText(n.outcome)}
              </Text>
              <Text className='muted'>{shortBeijingTime(n.receivedAt)}</Text>
            </View>
            <View className='muted'>
              {n.amountFen !== null ? `金额 ${formatFen(n.amountFen)}` : ''}
              {n.detail ? ` · ${n.detail}` : ''}
            </View>
          </View>
        ))}
      </View>

      {(trail.shipping.uploads.length > 0 || trail.shipping.events.length > 0) && (
        <View className='section' id='trail-shipping'>
          <View className='section-title'>发货信息（微信小程序）</View>
          {trail.shipping.uploads.map((u) => (
            <View key={`u${u.attempt}`} className='trail-item trail-shipping-upload'>
              <View className='row'>
                <Text>
                  第 {u.attempt} 次上传：{shippingOutcomeText(u.outcome)}
                </Text>
                <Text className='muted'>{shortBeijingTime(u.at)}</Text>
              </View>
              <View className='muted'>
                {shippingTriggerText(u.trigger)} · {u.logisticsType === 4 ? '用户自提' : u.logisticsType === 3 ? '虚拟商品' : `物流方式 ${u.logisticsType}`}
                {u.errcode ? ` · 错误码 ${u.errcode} ${u.errmsg ?? ''}` : ''}
              </View>
            </View>
          ))}
          {trail.shipping.events.map((e) => (
            <View key={`e${e.id}`} className='trail-item'>
              <View className='row'>
                <Text>{shippingEventText(e.event)}</Text>
                <Text className='muted'>{shortBeijingTime(e.receivedAt)}</Text>
              </View>
              {(e.confirmReceiveTime || e.settlementTime) && (
                <View className='muted'>
                  {e.confirmReceiveTime ? `确认收货 ${shortBeijingTime(e.confirmReceiveTime)}` : ''}
                  {e.settlementTime ? ` · 结算 ${shortBeijingTime(e.settlementTime)}` : ''}
                </View>
              )}
            </View>
          ))}
        </View>
      )}

      {trail.refunds.length > 0 && (
        <View className='section' id='trail-refunds'>
          <View className='section-title'>退款</View>
          {trail.refunds.map((r) => (
            <View key={r.id} className='trail-item'>
              <View className='row'>
                <Text>{refundStatusText(r.status)}</Text>
                <Text className='price'>{formatFen(r.amountFen)}</Text>
              </View>
              <View className='muted'>
                {shortBeijingTime(r.createdAt)} · {r.reason}
                {r.failure ? ` · ${r.failure.message || r.failure.code}` : ''}
              </View>
            </View>
          ))}
        </View>
      )}
    </View>
  );
}

import { Button, Input, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import type { PickupOrder } from '../../../shared/api/pickup';
import { mall_pickup_code_digits, type RedemptionView } from '../../../shared/api/points-mall';
import { newId } from '../../../shared/ids';
import { formatFen } from '../../../shared/money';
import { formatShanghaiTime } from '../../../shared/receipt/layout';
import { call } from '../../services/api';
import { busyProps } from '../../services/stock-ops';
import { ApiError } from '../../services/errors';
import { pickup_poll_interval_ms, useCounterProfile } from './hooks';
import { explainNoCameraScan } from '../../services/counter-scan';
import './counter.less';

type Outcome = { kind: 'done'; order: PickupOrder } | { kind: 'gift'; redemption: RedemptionView } | { kind: 'refused'; message: string } | null;

/** A scanned or typed code: the shopper's QR carries the six digits alone. */
function codeFrom(text: string): string {
  return text.replace(/\D/g, '');
}

/**
 * Paid shop orders waiting at the counter: the assistant scans the
 * shopper's pickup QR or types the 取货码, checks the goods against the list
 * and hands them over. Each handover carries its own key, so a retry after
 * a lost answer is answered as the first; an order already handed over is
 * refused with when it was.
 */
export default function PickupPage() {
  const { store } = useCounterProfile('/pages/counter/pickup');
  const storeId = store?.id ?? '';
  const [waiting, setWaiting] = useState<PickupOrder[]>([]);
  const [count, setCount] = useState(0);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  // The key of the last handover that got no answer, by code: pressing again resends the same one.
  const pending = useRef<{ code: string; key: string } | null>(null);
  // 通知取货 (#17): what became of each order's message, by order id.
  const [notified, setNotified] = useState<Record<string, string>>({});

  const load = async () => {
    if (!storeId) return;
    const r = await call('pickups', { params: { storeId }, quiet: true }).catch(() => null);
    if (!r) return;
    setWaiting(r.waiting);
    setCount(r.count);
  };

  useDidShow(() => void load());
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), pickup_poll_interval_ms);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [storeId]);

  const handOver = async (raw: string) => {
    const code = codeFrom(raw);
    if (busy || !storeId) return;
    if (code.length === 0) {
      setOutcome({ kind: 'refused', message: '请扫描或输入顾客的取货码' });
      return;
    }
    // A points-mall gift's code is longer than an order's: the same box hands both over.
    if (code.length === mall_pickup_code_digits) {
      await handOverGift(code);
      return;
    }
    const key = pending.current?.code === code ? pending.current.key : newId('handover');
    pending.current = { code, key };
    setBusy(true);
    try {
      const r = await call('handOver', { params: { storeId }, body: { code, handoverKey: key }, quiet: true });
      pending.current = null;
      setOutcome({ kind: 'done', order: r.order });
      setTyped('');
      await load();
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.status !== 0) pending.current = null;
      setOutcome({ kind: 'refused', message: e.status === 0 ? '网络没有回应，请再按一次交货（不会重复交货）' : e.message });
    } finally {
      setBusy(false);
    }
  };

  /** Tells the order's member it is ready, by their subscription message; pressing again sends nothing more. */
  const notify = async (o: PickupOrder) => {
    try {
      const r = await call('pickupReady', { params: { storeId }, body: { code: o.pickupCode }, quiet: true });
      const said = !r.message ? '非会员订单，无法通知' : r.message.status === 'queued' || r.message.status === 'sending' || r.message.status === 'sent' ? '已通知顾客' : '顾客未订阅消息，请叫号';
      setNotified((n) => ({ ...n, [o.orderId]: said }));
    } catch (e) {
      setNotified((n) => ({ ...n, [o.orderId]: e instanceof ApiError ? e.message : '通知失败' }));
    }
  };

  /** A gift's handover is a compare-and-set on its code, so a second press after a lost answer is refused as already picked up, never handed over twice. */
  const handOverGift = async (code: string) => {
    setBusy(true);
    try {
      const r = await call('storeMallHandOver', { params: { storeId }, body: { code }, quiet: true });
      setOutcome({ kind: 'gift', redemption: r.redemption });
      setTyped('');
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      setOutcome({ kind: 'refused', message: e.status === 0 ? '网络没有回应，请稍后在兑换记录里核对是否已交付' : e.message });
    } finally {
      setBusy(false);
    }
  };

  const scan = async () => {
    if (explainNoCameraScan('取货码')) return;
    try {
      const r = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] });
      setTyped(codeFrom(r.result));
      await handOver(r.result);
    } catch {
      // The assistant closed the scanner; the code can still be typed.
    }
  };

  return (
    <View className='page counter'>
      <View className='section'>
        <View className='section-title'>
          核对取货码 <Text className='muted'>（待取货 <Text id='pickup-count'>{count}</Text> 单）</Text>
        </View>
        <Input id='pickup-code-input' className='counter-input' type='number' placeholder='输入 6 位取货码或 8 位礼品兑换码' value={typed} onInput={(e) => setTyped(e.detail.value)} onConfirm={() => void handOver(typed)} />
        <View className='row'>
          <Button id='pickup-scan' className='pay-platform' onClick={() => void scan()}>
            扫码
          </Button>
          <Button id='handover' type='primary' {...busyProps(busy, true)} onClick={() => void handOver(typed)}>
            交货
          </Button>
        </View>
        {outcome?.kind === 'done' && (
          <View id='handover-done' className='handover-done'>
            <View className='section-title'>已交货 · 取货码 {outcome.order.pickupCode}</View>
            <View>
              {outcome.order.tableNo ? `${outcome.order.tableNo} 桌 · ` : ''}
              {outcome.order.summary}
            </View>
            <View className='muted'>下一步：扫描或输入下一位顾客的取货码{count > 0 ? `（还有 ${count} 单待取）` : '（暂无待取订单）'}</View>
          </View>
        )}
        {outcome?.kind === 'gift' && (
          <View id='gift-handover-done' className='handover-done'>
            <View className='section-title'>
              已交付礼品 · {outcome.redemption.giftName} × {outcome.redemption.qty}
            </View>
            <View>
              已扣 {outcome.redemption.points} 积分{outcome.redemption.cashFen > 0 ? `，请收取现金加价 ${formatFen(outcome.redemption.cashFen)}` : ''}
            </View>
          </View>
        )}
        {outcome?.kind === 'refused' && (
          <View id='handover-error' className='offline-tag'>
            {outcome.message}
          </View>
        )}
      </View>
      <View className='section' id='pickup-list'>
        {waiting.length === 0 && <View className='muted'>没有等待取货的自助订单</View>}
        {waiting.map((o) => (
          <View key={o.orderId} className='list-item pickup-item' data-code={o.pickupCode} onClick={() => setTyped(o.pickupCode)}>
            <View className='row'>
              <Text className='pickup-code-big'>{o.pickupCode}</Text>
              <Text className='price'>{formatFen(o.totalFen)}</Text>
            </View>
            <View>{o.summary}</View>
            <View className='muted'>
              {o.tableNo ? `${o.tableNo} 桌 · ` : ''}
              {formatShanghaiTime(o.paidAt)} 付款 · {o.receiptNo}
            </View>
            <View className='row'>
              <Button size='mini' className='pickup-notify' id={`pickup-notify-${o.pickupCode}`} onClick={(e) => { e.stopPropagation(); void notify(o); }}>
                通知取货
              </Button>
              {notified[o.orderId] && <Text className='muted'>{notified[o.orderId]}</Text>}
            </View>
          </View>
        ))}
      </View>
    </View>
  );
}

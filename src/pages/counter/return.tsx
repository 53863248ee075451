import { Button, Input, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import type { OrderView } from '../../../shared/api/orders';
import { return_reason_length_max, type ReturnRequest, type ReturnView } from '../../../shared/api/returns';
import { formatFen } from '../../../shared/money';
import { call } from '../../services/api';
import { newClientId } from '../../services/counter-ids';
import { ApiError } from '../../services/errors';
import { tenderLabel } from '../../services/tenders';
import { RefundStatus } from './refund-status';
import { deviceId } from '../../services/outbox-store';
import { busyProps } from '../../services/stock-ops';
import './counter.less';

const quick_return_reasons = ['尺码不合适', '质量问题', '顾客不想要了', '收银错误'] as const;

export default function ReturnPage() {
  const { params } = useRouter();
  const [order, setOrder] = useState<OrderView | null>(null);
  const [qty, setQty] = useState<Record<string, number>>({});
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<ReturnView | null>(null);
  // Kept until the server answers, so a retry after a lost answer reuses it.
  const attempt = useRef<{ id: string; fingerprint: string } | null>(null);

  useEffect(() => {
    if (!params.orderId) return;
    call('order', { params: { orderId: params.orderId } })
      .then(({ order: o }) => setOrder(o))
      .catch(() => undefined);
  }, [params.orderId]);

  const left = (l: OrderView['lines'][number]) => l.qty - l.returnedQty;
  const lines = order?.lines ?? [];
  const chosen = lines.filter((l) => (qty[l.id] ?? 0) > 0);
  const all = lines.length > 0 && lines.every((l) => (qty[l.id] ?? 0) === left(l));

  const setLine = (id: string, n: number, max: number) => setQty((q) => ({ ...q, [id]: Math.max(0, Math.min(max, n)) }));
  const chooseAll = () => setQty(Object.fromEntries(lines.map((l) => [l.id, all ? 0 : left(l)])));

  const submit = async () => {
    if (!order || busy || chosen.length === 0 || reason.trim() === '') return;
    const body: Omit<ReturnRequest, 'clientReturnId'> = {
      orderId: order.id,
      reason: reason.trim(),
      // The cash refunded leaves the drawer of this phone's shift.
      deviceId: deviceId(),
      // Everything left on the order is a full return; the server then picks the lines itself.
      ...(all ? {} : { lines: chosen.map((l) => ({ orderLineId: l.id, qty: qty[l.id] ?? 0 })) }),
    };
    const fingerprint = JSON.stringify(body);
    const id = attempt.current?.fingerprint === fingerprint ? attempt.current.id : newClientId('ret');
    attempt.current = { id, fingerprint };
    setBusy(true);
    try {
      const r = await call('createReturn', { body: { ...body, clientReturnId: id } });
      setDone(r.return);
      attempt.current = null;
    } catch (e) {
      if (e instanceof ApiError && e.status !== 0) attempt.current = null;
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <View className='page counter'>
        <View className='section' id='return-result' data-status={done.status}>
          {done.status === 'completed' ? (
            <View>
              <View className='section-title'>退货完成</View>
              <View>
                退款 <Text id='refund-amount' className='price'>{formatFen(done.amountFen)}</Text>
              </View>
              {done.refunds.map((r) => (
                <View key={r.method} className='muted'>
                  {r.method === 'cash' ? '退现金' : `退回${tenderLabel(r.method)}`} {formatFen(r.amountFen)}
                </View>
              ))}
              {done.refunds.some((r) => r.method !== 'cash') && <RefundStatus orderId={done.orderId} returnId={done.id} />}
              {done.pointsClawback > 0 && <View className='muted'>扣回积分 {done.pointsClawback}</View>}
            </View>
          ) : done.status === 'pending_approval' ? (
            <View>
              <View className='section-title offline-tag'>待审批</View>
              <View className='muted'>退款 {formatFen(done.amountFen)} 超过店员权限，已提交店长审批；审批通过后再退款给顾客。</View>
            </View>
          ) : (
            <View className='section-title'>退货被拒：{done.decisionNote ?? ''}</View>
          )}
          <ReturnNextSteps orderId={done.orderId} />
        </View>
      </View>
    );
  }

  return (
    <View className='page counter'>
      {order && (
        <View className='section'>
          <View className='row'>
            <Text className='section-title'>{order.receiptNo}</Text>
            <Text className='price'>{formatFen(order.totalFen)}</Text>
          </View>
          <View className='row'>
            <Text className='muted'>已退 {formatFen(order.refundedFen)}</Text>
            <Text id='return-all' className={all ? 'chip chip--on' : 'chip'} onClick={chooseAll}>
              全部退货
            </Text>
          </View>
          {lines.map((l) => {
            const max = left(l);
            const n = qty[l.id] ?? 0;
            return (
              <View key={l.id} className='list-item return-line' data-line-id={l.id}>
                <View className='row'>
                  <View className='grow'>
                    <View className='product-name'>{l.name}</View>
                    <View className='muted'>
                      {l.spec ? `${l.spec} · ` : ''}实付 {formatFen(l.netFen)} · 可退 {max}/{l.qty}
                    </View>
                  </View>
                  <View className='row qty'>
                    <Button className='qty-minus' size='mini' {...busyProps(n === 0)} onClick={() => setLine(l.id, n - 1, max)}>
                      −
                    </Button>
                    <Text className='qty-value'>{n}</Text>
                    <Button className='qty-plus' size='mini' {...busyProps(n >= max)} onClick={() => setLine(l.id, n + 1, max)}>
                      +
                    </Button>
                  </View>
                </View>
              </View>
            );
          })}
        </View>
      )}
      <View className='section'>
        <Input id='return-reason' className='counter-input' placeholder='退货原因（必填）' maxlength={return_reason_length_max} value={reason} onInput={(e) => setReason(e.detail.value)} />
        <View className='row cash-notes'>
          {quick_return_reasons.map((r) => (
            <Text key={r} className='chip return-reason-chip' onClick={() => setReason(r)}>
              {r}
            </Text>
          ))}
        </View>
        <Button id='return-submit' type='primary' {...busyProps(busy || chosen.length === 0 || reason.trim() === '')} {...busyProps(busy, true)} onClick={() => void submit()}>
          提交退货
        </Button>
      </View>
    </View>
  );
}

/**
 * Where a return leads next, so it never ends on a dead end: the order (its
 * receipt, now showing what was refunded), today's orders for the next
 * return, or a new sale. The order's receipt is what gets printed; a
 * separate return slip does not exist yet.
 */
function ReturnNextSteps({ orderId }: { orderId: string }) {
  return (
    <View className='result-actions' id='return-next'>
      <Button id='return-continue' type='primary' onClick={() => void Taro.reLaunch({ url: '/pages/counter/index' })}>
        继续开单
      </Button>
      <Button id='return-view-order' onClick={() => void Taro.redirectTo({ url: `/pages/counter/receipt?orderId=${orderId}` })}>
        查看订单
      </Button>
      <Button id='return-orders' onClick={() => void Taro.redirectTo({ url: '/pages/counter/orders' })}>
        今日订单
      </Button>
    </View>
  );
}

import { Button, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { call, showError } from '../../services/api';
import {
  channelNames,
  counter_cancelled_event,
  counter_paid_event,
  newCancelId,
  newPaymentId,
  parseAuthCode,
  payment_poll_interval_ms,
  type CancelReason,
  type CounterCancelled,
  type PayChannel,
} from '../../services/counter-pay';
import { cancelRetryable, canSwitch, chargeRetryable, PayMachine, shouldPoll, waitingPayment, type PayEvent } from '../../services/counter-pay-machine';
import { scanPaycode } from '../../services/counter-scan-paycode';
import { ApiError } from '../../services/errors';
import { PayCancelActions, PayChoose, PayClosing, PayCodeEntry, PayTotal, PayWaiting } from './parts/pay-sections';
import { explainNoCameraScan } from '../../services/counter-scan';
import './counter.less';

/** The payment machine, rendered: each event moves it on, and the screen shows the state it reached. */
function usePayMachine() {
  // One machine for the screen's life; the state is mirrored into React so each event renders.
  const [machine] = useState(() => new PayMachine());
  const [state, setState] = useState(machine.state);
  const send = (event: PayEvent) => {
    const next = machine.send(event);
    setState(next);
    return next;
  };
  return { machine, state, send };
}

export default function CounterPay() {
  const { params } = useRouter();
  const orderId = params.orderId ?? '';
  const { machine, state, send } = usePayMachine();
  const [codeText, setCodeText] = useState('');
  const { order, step, charging: busy, closing } = state;

  useEffect(() => {
    if (!orderId) return;
    call('order', { params: { orderId } })
      .then(({ order: o }) => send({ type: 'order', order: o }))
      .catch(() => undefined);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [orderId]);

  const finish = () => {
    Taro.eventCenter.trigger(counter_paid_event, orderId);
    void Taro.redirectTo({ url: `/pages/counter/receipt?orderId=${orderId}&sold=1` });
  };

  const start = async (key: string, body: { mode: 'code'; authCode: string } | { mode: 'qr'; channel: PayChannel }) => {
    const before = machine.state;
    const { sent } = send({ type: 'charge', key, freshId: newPaymentId() });
    // The machine refuses a second charge while one is on its way.
    if (machine.state === before || !sent) return;
    try {
      const res = await call('counterPayment', { params: { orderId }, body: { clientPaymentId: sent.clientPaymentId, ...body }, quiet: true });
      send({ type: 'charged', order: res.order, payment: res.payment });
      if (res.payment.status === 'succeeded') finish();
    } catch (e) {
      send({ type: 'charge_failed', retryable: chargeRetryable(e) });
      // An earlier attempt (a QR left on screen) may have been paid meanwhile.
      if (e instanceof ApiError && e.code === 'conflict') {
        const fresh = await call('order', { params: { orderId }, quiet: true }).catch(() => null);
        if (fresh) send({ type: 'order', order: fresh.order });
        if (fresh?.order.status === 'paid') {
          finish();
          return;
        }
      }
      showError(e);
    } finally {
      send({ type: 'charge_ended' });
    }
  };

  const chargeCode = async (text: string) => {
    const parsed = parseAuthCode(text);
    if (!parsed.ok) {
      void Taro.showToast({ title: parsed.message, icon: 'none' });
      return;
    }
    setCodeText(parsed.code);
    await start(`code:${parsed.code}`, { mode: 'code', authCode: parsed.code });
  };

  const scan = async () => {
    if (explainNoCameraScan('付款码')) return;
    const code = await scanPaycode();
    if (code) await chargeCode(code);
  };

  const waiting = waitingPayment(state);

  useEffect(() => {
    if (!waiting || !shouldPoll(state)) return;
    const timer = setTimeout(() => {
      call('payment', { params: { paymentId: waiting.id }, quiet: true })
        .then((res) => {
          send({ type: 'polled', order: res.order, payment: res.payment });
          if (res.payment.status === 'succeeded') finish();
        })
        // A lost answer is asked again on the next tick; the payment itself is on the server.
        .catch(() => send({ type: 'poll_lost', payment: waiting }));
    }, payment_poll_interval_ms);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [waiting]);

  /**
   * Cancels the open order: the server first ends every pending attempt at the platform, so the waiting
   * screen stays up until the platform has answered. If the platform says the customer paid after all,
   * the order is a sale and the receipt follows; otherwise the billing screen gets the cart back.
   */
  const cancelOrder = async (reason: CancelReason) => {
    if (machine.state.closing || machine.state.charging) return;
    if (reason === 'customer_left') {
      const confirm = await Taro.showModal({ title: '取消订单', content: '顾客不买了？取消后这笔订单不能再收款，商品库存和积分会放回。', confirmText: '取消订单', cancelText: '再等等' });
      if (!confirm.confirm) return;
    }
    const before = machine.state;
    const { cancelSent } = send({ type: 'cancel', reason, freshId: newCancelId() });
    // A charge or another cancellation may have started while the assistant was confirming.
    if (machine.state === before || !cancelSent) return;
    try {
      const res = await call('cancelOrder', { params: { orderId }, body: { clientCancelId: cancelSent.clientCancelId, reason }, quiet: true });
      send({ type: 'cancel_answered', order: res.order });
      if (res.outcome === 'already_paid') {
        const tender = res.order.tenders[0];
        await Taro.showModal({
          title: '顾客已经付款',
          content: `${tender && tender.method in channelNames ? channelNames[tender.method as PayChannel] : '线上'}已收到这笔货款，订单已结清，不要再收现金。`,
          showCancel: false,
        });
        finish();
        return;
      }
      const cancelled: CounterCancelled = { orderId, reason };
      Taro.eventCenter.trigger(counter_cancelled_event, cancelled);
      void Taro.navigateBack();
    } catch (e) {
      send({ type: 'cancel_failed', retryable: cancelRetryable(e) });
      showError(e);
    } finally {
      send({ type: 'cancel_ended' });
    }
  };

  const another = () => {
    send({ type: 'another' });
    setCodeText('');
  };

  const paid = order?.status === 'paid';
  const open = order?.status === 'open';

  return (
    <View className='page counter'>
      <PayTotal order={order} />

      {step.kind === 'choose' && <PayChoose busy={busy} onCode={() => send({ type: 'enter_code' })} onQr={(channel) => void start(`qr:${channel}`, { mode: 'qr', channel })} />}
      {step.kind === 'code' && (
        <PayCodeEntry busy={busy} codeText={codeText} onCodeText={setCodeText} onScan={() => void scan()} onCharge={(text) => void chargeCode(text)} onBack={another} />
      )}
      {/* While the platform closes the trade the old prompt would mislead: only the closing state is shown. */}
      {waiting && !closing && <PayWaiting payment={waiting} canSwitch={canSwitch(state)} onAnother={another} />}
      {paid && (
        <Button id='pay-receipt' type='primary' onClick={finish}>
          已收款，查看小票
        </Button>
      )}
      {closing && <PayClosing waiting={waiting} />}
      {open && step.kind !== 'code' && <PayCancelActions closing={closing} busy={busy} onCancel={(reason) => void cancelOrder(reason)} />}
    </View>
  );
}

import { Button, Input, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import type { OrderView } from '../../../shared/api/orders';
import type { PaymentView } from '../../../shared/api/payments';
import { formatFen } from '../../../shared/money';
import { QrCode } from '../../components/qr-code';
import { call, showError } from '../../services/api';
import {
  channelNames,
  closingViewOf,
  counter_cancelled_event,
  counter_paid_event,
  newCancelId,
  newPaymentId,
  parseAuthCode,
  payment_poll_interval_ms,
  waitingViewOf,
  type CancelReason,
  type CounterCancelled,
  type PayChannel,
} from '../../services/counter-pay';
import { scanPaycode } from '../../services/counter-scan-paycode';
import { ApiError } from '../../services/errors';
import './counter.less';

// Compiled into the H5 build with the sandbox only; the mini-program builds see `null`. The condition is
// written out in each ternary so webpack can evaluate it there and leave the module out.
const SandboxPaycodes = process.env.TARO_ENV === 'h5' && process.env.TARO_APP_SANDBOX !== '' ? lazy(() => import('./sandbox-customer.h5').then((m) => ({ default: m.SandboxPaycodes }))) : null;
const SandboxQrPayer = process.env.TARO_ENV === 'h5' && process.env.TARO_APP_SANDBOX !== '' ? lazy(() => import('./sandbox-customer.h5').then((m) => ({ default: m.SandboxQrPayer }))) : null;

type Step = { kind: 'choose' } | { kind: 'code' } | { kind: 'wait'; payment: PaymentView };

/** What was last sent, so pressing again after a lost answer repeats the same attempt instead of charging twice. */
interface Sent {
  key: string;
  clientPaymentId: string;
}

export default function CounterPay() {
  const { params } = useRouter();
  const orderId = params.orderId ?? '';
  const [order, setOrder] = useState<OrderView | null>(null);
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  const [codeText, setCodeText] = useState('');
  const [busy, setBusy] = useState(false);
  const sent = useRef<Sent | null>(null);
  const [closing, setClosing] = useState<CancelReason | null>(null);
  /** The last cancellation sent: pressing again after a failed close or a lost answer finishes that one. */
  const cancelSent = useRef<{ reason: CancelReason; clientCancelId: string } | null>(null);

  useEffect(() => {
    if (!orderId) return;
    call('order', { params: { orderId } })
      .then(({ order: o }) => setOrder(o))
      .catch(() => undefined);
  }, [orderId]);

  const finish = () => {
    Taro.eventCenter.trigger(counter_paid_event, orderId);
    void Taro.redirectTo({ url: `/pages/counter/receipt?orderId=${orderId}` });
  };

  const start = async (key: string, body: { mode: 'code'; authCode: string } | { mode: 'qr'; channel: PayChannel }) => {
    if (busy) return;
    const clientPaymentId = sent.current?.key === key ? sent.current.clientPaymentId : newPaymentId();
    sent.current = { key, clientPaymentId };
    setBusy(true);
    try {
      const res = await call('counterPayment', { params: { orderId }, body: { clientPaymentId, ...body }, quiet: true });
      setOrder(res.order);
      setStep({ kind: 'wait', payment: res.payment });
      if (res.payment.status === 'succeeded') finish();
    } catch (e) {
      // Only a request that never got an answer may be repeated with the same id.
      if (!(e instanceof ApiError) || e.status !== 0) sent.current = null;
      // An earlier attempt (a QR left on screen) may have been paid meanwhile.
      if (e instanceof ApiError && e.code === 'conflict') {
        const fresh = await call('order', { params: { orderId }, quiet: true }).catch(() => null);
        if (fresh) setOrder(fresh.order);
        if (fresh?.order.status === 'paid') {
          finish();
          return;
        }
      }
      showError(e);
    } finally {
      setBusy(false);
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
    const code = await scanPaycode();
    if (code) await chargeCode(code);
  };

  const waiting = step.kind === 'wait' ? step.payment : null;
  const view = waiting ? waitingViewOf(waiting) : null;

  useEffect(() => {
    if (!waiting || !view?.polling || closing) return;
    const timer = setTimeout(() => {
      call('payment', { params: { paymentId: waiting.id }, quiet: true })
        .then((res) => {
          setOrder(res.order);
          setStep({ kind: 'wait', payment: res.payment });
          if (res.payment.status === 'succeeded') finish();
        })
        // A lost answer is asked again on the next tick; the payment itself is on the server.
        .catch(() => setStep({ kind: 'wait', payment: { ...waiting } }));
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
    if (closing || busy) return;
    if (reason === 'customer_left') {
      const confirm = await Taro.showModal({ title: '取消订单', content: '顾客不买了？取消后这笔订单不能再收款，商品库存和积分会放回。', confirmText: '取消订单', cancelText: '再等等' });
      if (!confirm.confirm) return;
    }
    const clientCancelId = cancelSent.current?.reason === reason ? cancelSent.current.clientCancelId : newCancelId();
    cancelSent.current = { reason, clientCancelId };
    setClosing(reason);
    try {
      const res = await call('cancelOrder', { params: { orderId }, body: { clientCancelId, reason }, quiet: true });
      setOrder(res.order);
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
      // A close the platform did not confirm is finished by the same key; any other refusal starts afresh.
      if (e instanceof ApiError && e.status !== 0 && e.code !== 'platform_error') cancelSent.current = null;
      showError(e);
    } finally {
      setClosing(null);
    }
  };

  const another = () => {
    sent.current = null;
    setCodeText('');
    setStep({ kind: 'choose' });
  };

  const paid = order?.status === 'paid';
  const open = order?.status === 'open';
  const closingView = closing ? closingViewOf(waiting) : null;
  // A code the customer is still confirming must be settled (or reversed by the server) before anything else is tried.
  const canSwitch = !paid && (!waiting || waiting.status !== 'pending' || waiting.mode === 'qr');

  return (
    <View className='page counter'>
      <View className='section'>
        <View className='row total-row'>
          <Text className='section-title'>应收</Text>
          <Text id='pay-total' className='price total'>
            {order ? formatFen(order.totalFen) : ''}
          </Text>
        </View>
        {order && order.status !== 'open' && order.status !== 'paid' && <View className='offline-tag'>订单状态：{order.status}，不能再收款</View>}
      </View>

      {step.kind === 'choose' && (
        <View className='section actions' id='pay-choose'>
          <Button id='pay-by-code' type='primary' onClick={() => setStep({ kind: 'code' })}>
            扫码收款（顾客出示付款码）
          </Button>
          <Button id='pay-by-qr-wechat' disabled={busy || undefined} onClick={() => void start('qr:wechat', { mode: 'qr', channel: 'wechat' })}>
            出示微信收款码
          </Button>
          <Button id='pay-by-qr-alipay' disabled={busy || undefined} onClick={() => void start('qr:alipay', { mode: 'qr', channel: 'alipay' })}>
            出示支付宝收款码
          </Button>
        </View>
      )}

      {step.kind === 'code' && (
        <View className='section' id='pay-code'>
          <View className='section-title'>扫描顾客的付款码</View>
          <Button id='scan-paycode' type='primary' disabled={busy || undefined} onClick={() => void scan()}>
            扫一扫
          </Button>
          <View className='row'>
            <Input
              id='paycode-input'
              className='counter-input grow'
              type='number'
              placeholder='或输入付款码数字'
              value={codeText}
              onInput={(e) => setCodeText(e.detail.value)}
              onConfirm={() => void chargeCode(codeText)}
            />
            <Button id='paycode-charge' size='mini' type='primary' loading={busy} disabled={busy || undefined} onClick={() => void chargeCode(codeText)}>
              收款
            </Button>
          </View>
          {SandboxPaycodes && (
            <Suspense fallback={null}>
              <SandboxPaycodes onCode={(code) => void chargeCode(code)} />
            </Suspense>
          )}
          <Text className='link' onClick={another}>
            返回
          </Text>
        </View>
      )}

      {/* While the platform closes the trade the old prompt would mislead: only the closing state is shown. */}
      {waiting && view && !closing && (
        <View className='section' id='pay-wait' data-status={waiting.status}>
          <View className={`pay-status pay-status--${view.tone}`} id='pay-status'>
            {view.title}
          </View>
          {view.detail !== '' && (
            <View className='pay-detail' id='pay-detail'>
              {view.detail}
            </View>
          )}
          {waiting.mode === 'qr' && waiting.status === 'pending' && waiting.codeUrl && (
            <View className='pay-qr'>
              <View className='muted pay-qr-title'>{channelNames[waiting.channel]}扫一扫付款 {formatFen(waiting.amountFen)}</View>
              <QrCode id='pay-qr' text={waiting.codeUrl} sizePx={300} />
              {SandboxQrPayer && (
                <Suspense fallback={null}>
                  <SandboxQrPayer channel={waiting.channel} codeUrl={waiting.codeUrl} />
                </Suspense>
              )}
            </View>
          )}
          {canSwitch && (
            <Button id='pay-another' onClick={another}>
              换一种方式
            </Button>
          )}
        </View>
      )}
      {paid && (
        <Button id='pay-receipt' type='primary' onClick={finish}>
          已收款，查看小票
        </Button>
      )}
      {closingView && (
        <View className='section' id='pay-closing'>
          <View className='pay-status pay-status--waiting'>{closingView.title}</View>
          {closingView.detail !== '' && <View className='pay-detail'>{closingView.detail}</View>}
        </View>
      )}
      {open && step.kind !== 'code' && (
        <View className='section actions' id='pay-cancel'>
          <Button id='pay-switch-cash' loading={closing === 'switch_to_cash'} disabled={closing !== null || busy || undefined} onClick={() => void cancelOrder('switch_to_cash')}>
            改收现金
          </Button>
          <Button id='pay-cancel-order' loading={closing === 'customer_left'} disabled={closing !== null || busy || undefined} onClick={() => void cancelOrder('customer_left')}>
            取消订单
          </Button>
          <View className='muted'>取消前会先让微信/支付宝关闭这笔收款；顾客已付的钱不会丢，会按线上收款结清。</View>
        </View>
      )}
    </View>
  );
}


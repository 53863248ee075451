import { Button, Input, Text, View } from '@tarojs/components';
import { lazy, Suspense } from 'react';
import type { OrderView } from '../../../../shared/api/orders';
import type { PaymentView } from '../../../../shared/api/payments';
import { formatFen } from '../../../../shared/money';
import { QrCode } from '../../../components/qr-code';
import { channelNames, closingViewOf, waitingViewOf, type CancelReason } from '../../../services/counter-pay';
import { busyProps } from '../../../services/stock-ops';

// Compiled into the H5 build with the sandbox only; the mini-program builds see `null`. The condition is
// written out in each ternary so webpack can evaluate it there and leave the module out.
const SandboxPaycodes = process.env.TARO_ENV === 'h5' && process.env.TARO_APP_SANDBOX !== '' ? lazy(() => import('../sandbox-customer.h5').then((m) => ({ default: m.SandboxPaycodes }))) : null;
const SandboxQrPayer = process.env.TARO_ENV === 'h5' && process.env.TARO_APP_SANDBOX !== '' ? lazy(() => import('../sandbox-customer.h5').then((m) => ({ default: m.SandboxQrPayer }))) : null;

/** What the order comes to, and why it can take no money once it is neither open nor paid. */
export function PayTotal({ order }: { order: OrderView | null }) {
  return (
    <View className='section'>
      <View className='row total-row'>
        <Text className='section-title'>应收</Text>
        <Text id='pay-total' className='price total'>
          {order ? formatFen(order.totalFen) : ''}
        </Text>
      </View>
      {order && order.status !== 'open' && order.status !== 'paid' && <View className='offline-tag'>订单状态：{order.status}，不能再收款</View>}
    </View>
  );
}

/** The three ways to take the money: the customer's payment code, or our WeChat / Alipay QR code. */
export function PayChoose({ busy, onCode, onQr }: { busy: boolean; onCode: () => void; onQr: (channel: 'wechat' | 'alipay') => void }) {
  return (
    <View className='section actions' id='pay-choose'>
      <Button id='pay-by-code' type='primary' onClick={onCode}>
        扫码收款（顾客出示付款码）
      </Button>
      <Button id='pay-by-qr-wechat' disabled={busy || undefined} onClick={() => onQr('wechat')}>
        出示微信收款码
      </Button>
      <Button id='pay-by-qr-alipay' disabled={busy || undefined} onClick={() => onQr('alipay')}>
        出示支付宝收款码
      </Button>
    </View>
  );
}

interface CodeEntryProps {
  busy: boolean;
  codeText: string;
  onCodeText: (text: string) => void;
  onScan: () => void;
  onCharge: (text: string) => void;
  onBack: () => void;
}

/** Scanning or typing the customer's payment code (付款码). */
export function PayCodeEntry({ busy, codeText, onCodeText, onScan, onCharge, onBack }: CodeEntryProps) {
  return (
    <View className='section' id='pay-code'>
      <View className='section-title'>扫描顾客的付款码</View>
      <Button id='scan-paycode' type='primary' disabled={busy || undefined} onClick={onScan}>
        扫一扫
      </Button>
      <View className='row'>
        <Input
          id='paycode-input'
          className='counter-input grow'
          type='number'
          placeholder='或输入付款码数字'
          value={codeText}
          onInput={(e) => onCodeText(e.detail.value)}
          onConfirm={() => onCharge(codeText)}
        />
        <Button id='paycode-charge' size='mini' type='primary' {...busyProps(busy, true)} onClick={() => onCharge(codeText)}>
          收款
        </Button>
      </View>
      {SandboxPaycodes && (
        <Suspense fallback={null}>
          <SandboxPaycodes onCode={onCharge} />
        </Suspense>
      )}
      <Text className='link' onClick={onBack}>
        返回
      </Text>
    </View>
  );
}

/** One attempt as the server sees it: its status, the QR code to show while a QR payment waits, and the way back. */
export function PayWaiting({ payment, canSwitch, onAnother }: { payment: PaymentView; canSwitch: boolean; onAnother: () => void }) {
  const view = waitingViewOf(payment);
  return (
    <View className='section' id='pay-wait' data-status={payment.status}>
      <View className={`pay-status pay-status--${view.tone}`} id='pay-status'>
        {view.title}
      </View>
      {view.detail !== '' && (
        <View className='pay-detail' id='pay-detail'>
          {view.detail}
        </View>
      )}
      {payment.mode === 'qr' && payment.status === 'pending' && payment.codeUrl && (
        <View className='pay-qr'>
          <View className='muted pay-qr-title'>
            {channelNames[payment.channel]}扫一扫付款 {formatFen(payment.amountFen)}
          </View>
          <QrCode id='pay-qr' text={payment.codeUrl} sizePx={300} />
          {SandboxQrPayer && (
            <Suspense fallback={null}>
              <SandboxQrPayer channel={payment.channel} codeUrl={payment.codeUrl} />
            </Suspense>
          )}
        </View>
      )}
      {canSwitch && (
        <Button id='pay-another' onClick={onAnother}>
          换一种方式
        </Button>
      )}
    </View>
  );
}

/** Giving up on platform payment: the customer pays cash instead, or leaves. */
export function PayCancelActions({ closing, busy, onCancel }: { closing: CancelReason | null; busy: boolean; onCancel: (reason: CancelReason) => void }) {
  return (
    <View className='section actions' id='pay-cancel'>
      <Button id='pay-switch-cash' {...busyProps(closing !== null || busy)} {...busyProps(closing === 'switch_to_cash', true)} onClick={() => onCancel('switch_to_cash')}>
        改收现金
      </Button>
      <Button id='pay-cancel-order' {...busyProps(closing !== null || busy)} {...busyProps(closing === 'customer_left', true)} onClick={() => onCancel('customer_left')}>
        取消订单
      </Button>
      <View className='muted'>取消前会先让微信/支付宝关闭这笔收款；顾客已付的钱不会丢，会按线上收款结清。</View>
    </View>
  );
}

/** What the screen says while the server has the platform end the trade, before the order is cancelled. */
export function PayClosing({ waiting }: { waiting: PaymentView | null }) {
  const view = closingViewOf(waiting);
  return (
    <View className='section' id='pay-closing'>
      <View className='pay-status pay-status--waiting'>{view.title}</View>
      {view.detail !== '' && <View className='pay-detail'>{view.detail}</View>}
    </View>
  );
}

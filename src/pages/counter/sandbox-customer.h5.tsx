import { Button, View } from '@tarojs/components';
import { useState } from 'react';
import './sandbox-customer.h5.less';
import { paycodeBehaviours, sandboxPaycode, sandboxPayQr, type PaycodeBehaviour, type SandboxPayChannel } from '../../services/sandbox.h5';

// The H5 build with the local payment sandbox only: plays the customer at the counter.

/** A sandbox customer shows a 付款码 that behaves as chosen. */
export function SandboxPaycodes(props: { onCode: (code: string) => void }) {
  const [busy, setBusy] = useState(false);
  const fetchCode = async (channel: SandboxPayChannel, behaviour: PaycodeBehaviour) => {
    setBusy(true);
    try {
      props.onCode(await sandboxPaycode(channel, behaviour));
    } catch (e) {
      window.alert(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className='sandbox-customer' id='sandbox-customer'>
      <View className='muted'>沙箱顾客的付款码</View>
      {(['wechat', 'alipay'] as const).map((channel) => (
        <View key={channel} className='row cash-notes'>
          {paycodeBehaviours.map((b) => (
            <Button key={b.behaviour} size='mini' disabled={busy || undefined} id={`sandbox-code-${channel}-${b.behaviour}`} onClick={() => void fetchCode(channel, b.behaviour)}>
              {channel === 'wechat' ? '微信' : '支付宝'}·{b.label}
            </Button>
          ))}
        </View>
      ))}
    </View>
  );
}

/** A sandbox customer scans the QR on the screen and pays. */
export function SandboxQrPayer(props: { channel: SandboxPayChannel; codeUrl: string }) {
  const [state, setState] = useState<'idle' | 'busy' | 'done'>('idle');
  const pay = async () => {
    setState('busy');
    try {
      await sandboxPayQr(props.channel, props.codeUrl);
      setState('done');
    } catch (e) {
      setState('idle');
      window.alert(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <View className='sandbox-customer'>
      <Button size='mini' id='sandbox-pay-qr' disabled={(state !== 'idle') || undefined} onClick={() => void pay()}>
        {state === 'done' ? '沙箱顾客已付款' : '沙箱顾客扫码付款'}
      </Button>
    </View>
  );
}

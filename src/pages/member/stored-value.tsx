import { Button, Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import type { ShopStoredValueResponse, StoredValuePlanView } from '../../../shared/api/stored-value';
import { formatFen } from '../../../shared/money';
import { newId } from '../../../shared/ids';
import { call, showError } from '../../services/api';
import { ensureShopper } from '../../services/auth';
import { currentStoreCode } from '../../services/store-code';
import { payOnPlatform, shopChannels, shopperFor, type ShopChannel } from '../../services/shop-pay';
import { channelNames } from './channel-names';
import { movementAmount, movementLabels } from './stored-value-labels';
import './stored-value.less';

/** How long the page waits for the platform's word before telling the shopper to look again later. */
const top_up_wait_ms_max = 20_000;
const top_up_poll_ms = 1_000;

/**
 * 储值: the plans the shop offers (充 100 送 20), topping up with the
 * platform's payment, the balance with principal and bonus apart, and the
 * statement. Everything through the shopper's own session.
 */
export default function StoredValue() {
  const [view, setView] = useState<ShopStoredValueResponse | null>(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState('');

  const load = async () => {
    const shopper = await ensureShopper(currentStoreCode());
    if (!shopper) return;
    setView(await call('shopStoredValue', { as: 'shopper' }));
  };
  useDidShow(() => void load().catch((e: unknown) => showError(e)));

  const topUp = async (plan: StoredValuePlanView, channel: ShopChannel) => {
    if (busy) return;
    setBusy(true);
    setNote('');
    try {
      const shopper = await shopperFor(channel, currentStoreCode());
      if (!shopper) throw new Error('登录失败，请稍后重试');
      const opened = await call('shopOpenTopUp', { as: 'shopper', body: { clientTopUpId: newId('storedValueTopUp'), planId: plan.id, storeId: shopper.store.id, channel } });
      const paid = await call('shopPayTopUp', { as: 'shopper', params: { topUpId: opened.topUp.id }, body: { clientPaymentId: newId('payment') } });
      if (!paid.payment.jsapi) throw new Error('支付平台没有返回支付参数，请重试');
      const outcome = await payOnPlatform(paid.payment.jsapi);
      if (outcome === 'cancelled') {
        setNote('已取消支付');
        return;
      }
      setNote('正在确认支付…');
      // Whatever the sheet said, the server decides, from the platform's notification or its answer to a query.
      const until = Date.now() + top_up_wait_ms_max;
      while (Date.now() < until) {
        const t = await call('shopTopUp', { as: 'shopper', params: { topUpId: opened.topUp.id }, quiet: true });
        if (t.topUp.status === 'credited') {
          setNote(`充值成功：到账 ${formatFen(t.topUp.payFen + t.topUp.bonusFen)}`);
          await load();
          return;
        }
        await new Promise((r) => setTimeout(r, top_up_poll_ms));
      }
      setNote('支付结果还没有确认，稍后回来看看余额');
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };

  const channels = shopChannels();
  return (
    <View className='page'>
      <View className='section' id='sv-balance'>
        <View className='muted'>储值余额</View>
        <View className='sv-balance' id='sv-total'>
          {view ? formatFen(view.balance.totalFen) : '…'}
        </View>
        {view && (
          <View className='muted'>
            本金 <Text id='sv-principal'>{formatFen(view.balance.principalFen)}</Text> · 赠送 <Text id='sv-bonus'>{formatFen(view.balance.bonusFen)}</Text>
          </View>
        )}
        {view && <View className='muted'>每张储值卡余额上限 {formatFen(view.balance.capFen)}；消费时本金与赠送按比例扣减</View>}
      </View>
      <View className='section'>
        <View className='section-title'>充值</View>
        {view && view.plans.length === 0 && <View className='muted'>本店暂未开放储值</View>}
        {view?.plans.map((plan) => (
          <View key={plan.id} className='sv-plan'>
            <View>
              <View className='sv-plan-name'>{plan.name}</View>
              <View className='muted'>
                付 {formatFen(plan.payFen)}，到账 {formatFen(plan.payFen + plan.bonusFen)}
              </View>
            </View>
            <View>
              {channels.map((channel) => (
                <Button key={channel} id={`sv-topup-${plan.id}-${channel}`} size='mini' type='primary' disabled={busy} onClick={() => void topUp(plan, channel)}>
                  {channels.length > 1 ? channelNames[channel] : '充值'}
                </Button>
              ))}
            </View>
          </View>
        ))}
        {note && (
          <View className='muted' id='sv-note'>
            {note}
          </View>
        )}
      </View>
      <View className='section' id='sv-statement'>
        <View className='section-title'>明细</View>
        {view && view.movements.length === 0 && <View className='muted'>还没有储值记录</View>}
        {view?.movements.map((m) => (
          <View key={m.id} className='sv-move'>
            <View>
              <View>{movementLabels[m.kind]}</View>
              <View className='muted'>{new Date(m.createdAt).toLocaleString('zh-CN', { hour12: false })}</View>
            </View>
            <Text className={m.principalDeltaFen + m.bonusDeltaFen > 0 ? 'sv-plus' : ''}>{movementAmount(m)}</Text>
          </View>
        ))}
      </View>
    </View>
  );
}

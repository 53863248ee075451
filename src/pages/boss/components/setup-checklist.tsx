import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import type { ChecklistResponse, SetupStep } from '../../../../shared/api/onboarding';
import { call } from '../../../services/api';
import { getSession } from '../../../services/session';

const steps: Record<SetupStep, { label: string; url: string }> = {
  add_products: { label: '添加商品', url: '/pages/setup/products' },
  invite_staff: { label: '邀请店员', url: '/pages/setup/staff' },
  payments: { label: '设置收款', url: '/pages/boss/payments/setup' },
  store_qr: { label: '打印门店码', url: '/pages/boss/payments/store-qr' },
};

/**
 * The owner's first-run checklist. The server ticks each step from real data
 * (products, a second member of staff, an active payment account, the store
 * QR opened), so the card shows what is left and disappears once all is done.
 */
export function SetupChecklist() {
  const [list, setList] = useState<ChecklistResponse | null>(null);
  useDidShow(() => {
    if (getSession('staff')?.staff.role !== 'owner') return setList(null);
    void call('setupChecklist', { quiet: true })
      .then(setList)
      .catch(() => setList(null));
  });
  if (!list || list.allDone) return null;
  return (
    <View className='section' id='setup-checklist'>
      <View className='section-title'>开店清单</View>
      {list.items.map((i) => (
        <View key={i.step} className='row' id={`setup-${i.step}`} data-done={i.done ? 'yes' : 'no'} style={{ padding: '12px 0' }} onClick={() => void Taro.navigateTo({ url: steps[i.step].url })}>
          <Text style={i.done ? { color: '#07803a' } : undefined}>
            {i.done ? '✓' : '○'} {steps[i.step].label}
          </Text>
          <Text className='muted'>{i.done ? '已完成' : '去设置 ›'}</Text>
        </View>
      ))}
    </View>
  );
}

import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import type { ResponseOf } from '../../../../shared/api/routes';
import { call } from '../../../services/api';
import { alert_kind_labels, alert_kinds } from '../../../services/stock-ops';

/** The boss home's one line about stock: alert counts over the caller's stores, and the way into 库存作业. */
export function StockAlertsEntry() {
  const [counts, setCounts] = useState<ResponseOf<'stockAlertCounts'> | null>(null);
  useDidShow(() => {
    void call('stockAlertCounts', { quiet: true }).then(setCounts).catch(() => setCounts(null));
  });
  const totals = alert_kinds.map((k) => ({ k, n: counts?.items.reduce((s, i) => s + (i.counts[k] ?? 0), 0) ?? 0 })).filter((t) => t.n > 0);
  return (
    <View className='section row' id='open-stock' onClick={() => void Taro.navigateTo({ url: '/pages/boss/stock/index' })}>
      <View>
        <View>库存作业</View>
        <View className='muted' id='stock-alert-counts'>
          {!counts ? '调拨 · 盘点 · 预警' : totals.length === 0 ? '没有库存预警' : totals.map((t) => `${alert_kind_labels[t.k]} ${t.n}`).join(' · ')}
        </View>
      </View>
      <Text className='muted'>查看 ›</Text>
    </View>
  );
}

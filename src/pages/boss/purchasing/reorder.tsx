import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useState } from 'react';
import { reorder_cover_days_default, reorder_velocity_days_default, type ReorderResponse } from '../../../../shared/api/purchasing';
import { call } from '../../../services/api';
import { chosenStore, purchasing_pages, staffOrSignIn } from './session';
import './purchasing.less';

const cover_choices = [7, 14, 30] as const;

/** What to order for the store in view, from the last weeks' net sales, each supplier's lead time, stock and open orders. */
export default function Reorder() {
  const [data, setData] = useState<ReorderResponse | null>(null);
  const [storeName, setStoreName] = useState('');
  const [cover, setCover] = useState<number>(reorder_cover_days_default);

  const load = (c = cover) => {
    const staff = staffOrSignIn(purchasing_pages.reorder);
    if (!staff) return Promise.resolve();
    const storeId = chosenStore(staff);
    if (!storeId) return Promise.resolve();
    setStoreName(staff.stores.find((s) => s.id === storeId)?.name ?? '');
    return call('reorderSuggestions', { query: { storeId, days: reorder_velocity_days_default, coverDays: c } })
      .then(setData)
      .catch(() => undefined);
  };
  useDidShow(() => void load());
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  return (
    <View className='page'>
      <View className='section'>
        <View className='section-title'>{storeName}</View>
        <View className='muted'>
          建议量 = 近 {reorder_velocity_days_default} 天日均净销量 ×（到货天数 + 备货天数）− 可用库存 − 在途数量
        </View>
        <View className='chips' style={{ marginTop: '12px' }}>
          {cover_choices.map((c) => (
            <Text key={c} className={`chip ${cover === c ? 'chip--on' : ''}`} onClick={() => { setCover(c); void load(c); }}>
              备货 {c} 天
            </Text>
          ))}
        </View>
      </View>
      <View className='section' id='reorder-list'>
        {!data && <View className='muted'>加载中…</View>}
        {data?.items.length === 0 && <View className='muted empty'>按当前销量，库存和在途足够，暂不需要补货。</View>}
        {data?.items.map((i) => (
          <View key={i.skuId} className='reorder-row' data-sku-id={i.skuId}>
            <View className='row'>
              <Text>{i.name}{i.spec ? ` ${i.spec}` : ''}</Text>
              <Text className='price'>建议 {i.suggestedQty}</Text>
            </View>
            <View className='muted'>
              {i.days} 天卖 {i.soldQty} · 可用 {i.available} · 在途 {i.onOrder} · {i.supplierName ?? '未指定供应商'} 到货 {i.leadTimeDays} 天
            </View>
          </View>
        ))}
      </View>
    </View>
  );
}

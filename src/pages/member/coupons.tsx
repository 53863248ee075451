import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { useState } from 'react';
import type { CouponView } from '../../../shared/api/coupons';
import { call } from '../../services/api';
import { ensureShopper } from '../../services/auth';
import { currentStoreCode } from '../../services/store-code';
import { picked_coupon_key } from '../../services/coupon-pick';
import './member.less';

const stateLabels: Record<CouponView['state'], string> = { available: '可使用', used: '已使用', expired: '已过期', not_yet: '未到使用时间' };
const tabs = [
  { key: 'available', label: '可使用' },
  { key: 'used', label: '已使用' },
  { key: 'expired', label: '已过期' },
] as const;

function day(iso: string): string {
  return new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * 我的优惠券: the shopper's coupons by state. Opened from the cart with
 * ?pick=<storeId>, it lists only those usable now in that store and a tap
 * chooses one for the order (or none), handed back through storage: the cart
 * is in the main package, which has no room for this list.
 */
export default function MyCoupons() {
  const { params } = useRouter();
  const pickFor = params.pick ?? '';
  const [items, setItems] = useState<CouponView[] | null>(null);
  const [tab, setTab] = useState<(typeof tabs)[number]['key']>('available');

  useDidShow(() => {
    void ensureShopper(currentStoreCode()).then((s) => {
      if (!s) return setItems([]);
      call('shopCoupons', pickFor ? { query: { storeId: pickFor } } : {})
        .then((r) => setItems(r.items))
        .catch(() => setItems([]));
    });
  });

  const choose = (c: CouponView | null) => {
    Taro.setStorageSync(picked_coupon_key, c ? JSON.stringify({ storeId: pickFor, id: c.id, name: c.name, rule: c.rule }) : '');
    void Taro.navigateBack();
  };

  const shown = pickFor ? (items ?? []) : (items ?? []).filter((c) => (tab === 'available' ? c.state === 'available' || c.state === 'not_yet' : c.state === tab));
  return (
    <View className='page' id='my-coupons'>
      {!pickFor && (
        <View className='coupon-tabs'>
          {tabs.map((t) => (
            <View key={t.key} id={`coupon-tab-${t.key}`} className={`coupon-tab${tab === t.key ? ' coupon-tab-on' : ''}`} onClick={() => setTab(t.key)}>
              {t.label}
            </View>
          ))}
        </View>
      )}
      {!items && <View className='muted'>加载中…</View>}
      {items && shown.length === 0 && <View className='muted list-end'>{pickFor ? '没有本店可用的优惠券' : '这里还没有券'}</View>}
      {shown.map((c) => (
        <View key={c.id} className={`coupon-card${c.state === 'available' ? '' : ' coupon-off'}`} data-coupon={c.name} onClick={() => pickFor && choose(c)}>
          <View>
            <View className='coupon-summary'>{c.summary}</View>
            <View>{c.name}</View>
            <View className='muted'>
              {day(c.validFrom)} 至 {day(c.validUntil)}
            </View>
          </View>
          <Text className='muted'>{pickFor ? '使用 ›' : stateLabels[c.state]}</Text>
        </View>
      ))}
      {pickFor ? (
        <View className='list-end link' id='coupon-none' onClick={() => choose(null)}>
          不使用优惠券
        </View>
      ) : (
        <View className='list-end link' id='go-coupon-center' onClick={() => void Taro.navigateTo({ url: '/pages/member/coupon-center' })}>
          去领券中心 ›
        </View>
      )}
    </View>
  );
}

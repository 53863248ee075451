import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { call } from '../../services/api';
import { ensureShopper } from '../../services/auth';
import { currentStoreCode } from '../../services/store-code';
import { newId } from '../../../shared/ids';
import './member.less';

type Offer = Awaited<ReturnType<typeof call<'shopClaimableCoupons'>>>['items'][number];

/**
 * 领券中心: the coupons the shop offers for claiming, each with what it gives,
 * how long it lasts and how many the shopper still may take. One tap claims
 * one (the key made for the tap makes a double tap claim once).
 */
export default function CouponCenter() {
  const [offers, setOffers] = useState<Offer[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = () => {
    void ensureShopper(currentStoreCode()).then((s) => {
      if (!s) return setOffers([]);
      call('shopClaimableCoupons')
        .then((r) => setOffers(r.items))
        .catch(() => setOffers([]));
    });
  };
  useDidShow(load);

  const claim = async (o: Offer) => {
    setBusy(o.templateId);
    try {
      await call('shopClaimCoupon', { body: { templateId: o.templateId, idempotencyKey: newId('request') } });
      void Taro.showToast({ title: '领取成功', icon: 'success' });
      load();
    } catch {
      // The request layer has shown the server's reason (已领完, 已发完).
    } finally {
      setBusy(null);
    }
  };

  return (
    <View className='page' id='coupon-center'>
      {!offers && <View className='muted'>加载中…</View>}
      {offers?.length === 0 && <View className='muted list-end'>暂时没有可以领的券</View>}
      {offers?.map((o) => {
        const full = o.soldOut || o.claimed >= o.perMemberMax;
        return (
          <View key={o.templateId} className={`coupon-card${full ? ' coupon-off' : ''}`} data-offer={o.name}>
            <View>
              <View className='coupon-summary'>{o.summary}</View>
              <View>{o.name}</View>
              <View className='muted'>
                {o.validity} · 已领 {o.claimed}/{o.perMemberMax}
              </View>
            </View>
            {full ? (
              <Text className='muted'>{o.soldOut ? '已抢光' : '已领取'}</Text>
            ) : (
              <Button size='mini' type='primary' id={`claim-${o.templateId}`} disabled={busy === o.templateId} onClick={() => void claim(o)}>
                领取
              </Button>
            )}
          </View>
        );
      })}
      <View className='list-end link' id='go-my-coupons' onClick={() => void Taro.navigateTo({ url: '/pages/member/coupons' })}>
        我的优惠券 ›
      </View>
    </View>
  );
}

import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import type { StoreLinksResponse } from '../../../../shared/api/store-links';
import { QrCode } from '../../../components/qr-code';
import { call } from '../../../services/api';
import './payments.less';

/** Large enough to print on A5 and scan from a counter's distance. */
const store_qr_px = 320;

/** Each store's aggregated QR (聚合码), one per card, to print and put on the counter. */
export default function StoreQr() {
  const [items, setItems] = useState<StoreLinksResponse['items'] | null>(null);
  useDidShow(() => {
    // Opening this page ticks 打印门店码 on the first-run checklist.
    void call('markSetupStep', { body: { step: 'store_qr' }, quiet: true }).catch(() => undefined);
    void call('storeLinks')
      .then((r) => setItems(r.items))
      .catch(() => setItems([]));
  });
  return (
    <View className='page'>
      {items === null && <View className='muted'>加载中…</View>}
      {items?.map((s) => (
        <View key={s.storeId} className='store-qr-card' data-store-code={s.code}>
          <View className='store-qr-name'>{s.name}</View>
          <View className='muted'>{s.address}</View>
          <View style={{ marginTop: '24px' }}>
            <QrCode id={`store-qr-${s.code}`} text={s.url} sizePx={store_qr_px} />
          </View>
          <View className='store-qr-hint'>微信 / 支付宝 扫码 下单付款</View>
          <Text className='muted' selectable>
            {s.url}
          </Text>
        </View>
      ))}
    </View>
  );
}

import { Button, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { PublicReceiptResponse } from '../../../shared/api/pickup';
import { call } from '../../services/api';
import { ReceiptView } from '../../components/receipt-view';
import { QrCode } from '../../components/qr-code';
import './receipt.less';

type Loaded = { kind: 'ok'; data: PublicReceiptResponse } | { kind: 'failed'; message: string } | null;

/**
 * The shopper's receipt, opened from the QR printed on it (`/r/<token>`):
 * no sign-in, the token alone finds it. A self-service order shows its
 * pickup code and whether the goods were handed over.
 */
export default function PublicReceiptPage() {
  const { params } = useRouter();
  const token = params.token ?? '';
  const [loaded, setLoaded] = useState<Loaded>(null);

  useEffect(() => {
    if (!token) {
      setLoaded({ kind: 'failed', message: '小票链接不完整，请重新扫码' });
      return;
    }
    call('publicReceipt', { params: { token }, quiet: true })
      .then((data) => setLoaded({ kind: 'ok', data }))
      .catch((e: unknown) => setLoaded({ kind: 'failed', message: e instanceof Error ? e.message : '找不到这张小票' }));
  }, [token]);

  if (!loaded) return <View className='page muted'>正在打开小票…</View>;
  if (loaded.kind === 'failed') {
    return (
      <View className='page'>
        <View className='section' id='public-receipt-error'>
          {loaded.message}
        </View>
      </View>
    );
  }
  const { receipt, pickup } = loaded.data;
  return (
    <View className='page'>
      {pickup && (
        <View className='section' id='public-receipt-pickup'>
          <View className='muted'>取货码</View>
          <View className='pickup-code-big'>{pickup.code}</View>
          {pickup.tableNo && <View>桌号 {pickup.tableNo}</View>}
          {!pickup.handedOverAt && <QrCode id='pickup-qr' text={pickup.code} sizePx={220} />}
          <View className='muted'>{pickup.handedOverAt ? '商品已交付' : '请凭取货码到柜台取货'}</View>
        </View>
      )}
      <View className='section'>
        <ReceiptView receipt={receipt} />
      </View>
      <Button onClick={() => void Taro.reLaunch({ url: '/pages/shop/home/index' })}>去逛逛本店</Button>
    </View>
  );
}

import { Button, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useState } from 'react';
import { call } from '../../services/api';
import { ensureShopper } from '../../services/auth';
import { currentStoreCode, rememberStoreFrom } from '../../services/store-code';
import './member.less';

/**
 * Where a shared invitation lands: the visitor signs in to the store the
 * card names (becoming a member on a first visit), and the server records
 * the referral if they are new; then they go shopping. It lives in the
 * member sub-package so the shop's main package carries none of it.
 */
export default function Welcome() {
  const [note, setNote] = useState('正在进店…');

  useLoad((params: Record<string, string | undefined>) => {
    rememberStoreFrom(params);
    const token = params.ref ? decodeURIComponent(params.ref) : '';
    void ensureShopper(currentStoreCode()).then(async (s) => {
      if (!s) {
        setNote('欢迎光临');
        return;
      }
      if (!token) {
        setNote(`欢迎光临 ${s.store.name}`);
        return;
      }
      const r = await call('shopReferralArrival', { body: { token }, quiet: true }).catch(() => null);
      setNote(r?.recorded ? `欢迎光临 ${s.store.name}！首次付款后你和好友都能得到新人奖励` : `欢迎光临 ${s.store.name}`);
    });
  });

  return (
    <View className='page'>
      <View className='section' id='welcome'>
        <View className='section-title' id='welcome-note'>
          {note}
        </View>
        <Button id='welcome-shop' type='primary' onClick={() => void Taro.switchTab({ url: '/pages/shop/home/index' })}>
          去逛逛
        </Button>
      </View>
    </View>
  );
}

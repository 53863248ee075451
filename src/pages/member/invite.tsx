import { Button, View } from '@tarojs/components';
import { useDidShow, useShareAppMessage } from '@tarojs/taro';
import { useState } from 'react';
import { call } from '../../services/api';
import { ensureShopper } from '../../services/auth';
import { currentStoreCode } from '../../services/store-code';
import './member.less';

/**
 * 邀请好友: the member shares the shop with a card whose path carries their
 * referral token (sealed by the server, not their member id) and the store.
 * A friend who opens it lands on the welcome page, which records them as
 * referred on their first visit; their first paid purchase rewards both.
 */
export default function Invite() {
  const [path, setPath] = useState<string | null>(null);
  const [shopName, setShopName] = useState('');
  const [failed, setFailed] = useState(false);

  useDidShow(() => {
    const code = currentStoreCode();
    void ensureShopper(code).then(async (s) => {
      if (!s) {
        setFailed(true);
        return;
      }
      setShopName(s.merchant.name);
      const t = await call('shopReferralToken', { quiet: true }).catch(() => null);
      if (!t) {
        setFailed(true);
        return;
      }
      setPath(`/${t.path}&store=${encodeURIComponent(s.store.code)}`);
    });
  });

  // WeChat and Alipay both call this for the share button and the menu's 转发; without a token yet, the shop's home is shared plainly.
  useShareAppMessage(() => ({ title: shopName ? `${shopName}：送你一份新人礼` : '送你一份新人礼', path: path ?? '/pages/shop/home/index' }));

  return (
    <View className='page'>
      <View className='section' id='invite-card'>
        <View className='section-title'>邀请好友，一起得积分</View>
        <View className='muted'>好友通过你分享的卡片进店成为新会员，首次付款后你们都能得到店铺送出的奖励。每人只奖励一次，同一手机号只算一次。</View>
      </View>
      <View className='section'>
        {failed && <View className='muted'>暂时无法生成邀请，请稍后再试</View>}
        <Button id='invite-share' type='primary' openType='share' disabled={!path}>
          分享给好友
        </Button>
        {path && (
          <View className='muted' id='invite-path' data-path={path}>
            已生成你的专属邀请
          </View>
        )}
      </View>
    </View>
  );
}

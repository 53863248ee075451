import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import type { Role } from '../../../../shared/api/common';
import type { ShopperSession } from '../../../../shared/api/identity';
import { ensureShopper } from '../../../services/auth';
import { call } from '../../../services/shop-api';
import { getSession } from '../../../services/session';
import { roleNames } from '../../../services/roles';
import { currentStoreCode } from '../../../services/store-code';
import './index.less';

/**
 * One row of the workbench list: a title, a line under it and an arrow. It is
 * plain Taro markup rather than NutUI's Cell so that this tab page, which is in
 * the main package every shopper downloads, does not carry NutUI's runtime.
 */
function LinkRow({ id, title, description, url }: { id: string; title: string; description: string; url: string }) {
  return (
    <View id={id} className='me-cell' hoverClass='me-cell-pressed' onClick={() => void Taro.navigateTo({ url })}>
      <View className='me-cell-text'>
        <Text>{title}</Text>
        <Text className='me-cell-description'>{description}</Text>
      </View>
      <Text className='me-cell-arrow'>›</Text>
    </View>
  );
}

export default function Me() {
  const [shopper, setShopper] = useState<ShopperSession | null>(null);
  const [points, setPoints] = useState<number | null>(null);
  const [staff, setStaff] = useState<{ line: string; role: Role } | null>(null);

  useDidShow(() => {
    // The session's points are those of the sign-in; the server's are live (an order since then added some).
    void ensureShopper(currentStoreCode()).then(async (s) => {
      setShopper(s);
      const me = s && (await call('me', { as: 'shopper', quiet: true }).catch(() => null));
      setPoints(me?.kind === 'member' ? me.member.points : null);
    });
    const st = getSession('staff');
    setStaff(st ? { line: `${st.staff.name} · ${roleNames[st.staff.role]} · ${st.merchant.name}`, role: st.staff.role } : null);
  });

  const member = shopper?.member;
  return (
    <View className='page'>
      <View className='section' id='member-card'>
        <View className='section-title'>{member ? (member.name ?? '顾客') : '未登录'}</View>
        {member && (
          <View className='muted'>
            {member.level} · 积分 <Text id='member-points'>{points ?? member.points}</Text> · {shopper.store.name}
          </View>
        )}
      </View>
      {member && (
        <View className='me-group'>
          <LinkRow id='go-stored-value' title='储值' description='充值、余额与明细' url='/pages/member/stored-value' />
        </View>
      )}
      {/* Shoppers see no workbench; staff see the entries their role opens (an assistant has no boss pages). */}
      {staff ? (
        <>
          <View className='me-group-title'>门店工作台</View>
          <View className='me-group'>
            <LinkRow id='go-counter' title='店员开单' description={staff.line} url='/pages/counter/index' />
            {staff.role !== 'assistant' && <View className='me-divider' />}
            {staff.role !== 'assistant' && <LinkRow id='go-boss' title='老板看板' description='今日营业额与收款方式' url='/pages/boss/index' />}
          </View>
        </>
      ) : (
        <>
          {/* A signed-in shopper who is nobody's staff may open a shop of their own (#15). */}
          {member && (
            <View className='me-group'>
              <LinkRow id='go-messages' title='消息订阅' description='积分变动、取货提醒' url='/pages/member/messages' />
            </View>
          )}
          {member && (
            <View className='me-group'>
              <LinkRow id='go-member-centre' title='会员中心' description='积分明细、会员码、我的订单与预约' url='/pages/member/index' />
              <LinkRow id='go-coupons' title='我的优惠券' description='领券中心与已领的券' url='/pages/member/coupons' />
              <LinkRow id='go-mall' title='积分商城' description='积分兑礼品 · 邀请好友' url='/pages/member/mall' />
              <View className='me-divider' />
              <LinkRow id='go-sign-up' title='我是店主，开一家店' description='几分钟开好店，今天就能收银' url='/pages/setup/sign-up' />
            </View>
          )}
          <View id='staff-sign-in' className='list-end muted' onClick={() => void Taro.navigateTo({ url: '/pages/sign-in/index' })}>
            门店员工登录
          </View>
        </>
      )}
    </View>
  );
}

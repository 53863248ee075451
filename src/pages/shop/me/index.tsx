import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import type { ShopperSession } from '../../../../shared/api/identity';
import { ensureShopper } from '../../../services/auth';
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
  const [staffLine, setStaffLine] = useState<string | null>(null);

  useDidShow(() => {
    void ensureShopper(currentStoreCode()).then(setShopper);
    const staff = getSession('staff');
    setStaffLine(staff ? `${staff.staff.name} · ${roleNames[staff.staff.role]} · ${staff.merchant.name}` : null);
  });

  const member = shopper?.member;
  return (
    <View className='page'>
      <View className='section' id='member-card'>
        <View className='section-title'>{member ? (member.name ?? '顾客') : '未登录'}</View>
        {member && (
          <View className='muted'>
            {member.level} · 积分 {member.points} · {shopper.store.name}
          </View>
        )}
      </View>
      <View className='me-group-title'>门店工作台</View>
      <View className='me-group'>
        <LinkRow id='go-counter' title='店员开单' description={staffLine ?? '店员登录后收银、查商品'} url='/pages/counter/index' />
        <View className='me-divider' />
        <LinkRow id='go-boss' title='老板看板' description='今日营业额与收款方式' url='/pages/boss/index' />
        {member && !staffLine && <View className='me-divider' />}
        {member && !staffLine && <LinkRow id='go-sign-up' title='我是店主，开一家店' description='几分钟开好店，今天就能收银' url='/pages/setup/sign-up' />}
      </View>
    </View>
  );
}

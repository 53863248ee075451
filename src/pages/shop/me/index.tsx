import { View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { Cell, CellGroup } from '@nutui/nutui-react-taro';
import { useState } from 'react';
import type { ShopperSession } from '../../../../shared/api/identity';
import { ensureShopper } from '../../../services/auth';
import { getSession } from '../../../services/session';
import { roleNames } from '../../../services/roles';
import { currentStoreCode } from '../../../services/store-code';

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
      <CellGroup title='门店工作台'>
        {/* NutUI's Cell drops `id`; the wrappers give browser tests something stable to click. */}
        <View id='go-counter'>
          <Cell
            title='店员开单'
            description={staffLine ?? '店员登录后收银、查商品'}
            extra='›'
            clickable
            onClick={() => void Taro.navigateTo({ url: '/pages/counter/index' })}
          />
        </View>
        <View id='go-boss'>
          <Cell title='老板看板' description='今日营业额与收款方式' extra='›' clickable onClick={() => void Taro.navigateTo({ url: '/pages/boss/index' })} />
        </View>
      </CellGroup>
    </View>
  );
}

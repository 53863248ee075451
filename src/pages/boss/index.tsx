import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useState } from 'react';
import type { TodayResponse } from '../../../shared/api/reports';
import { formatFen } from '../../../shared/money';
import { call, sign_in_page } from '../../services/api';
import { getSession } from '../../services/session';
import { tenderLabel } from '../../services/tenders';
import { TenderChart } from './components/tender-chart';
import './index.less';

export default function Boss() {
  const [today, setToday] = useState<TodayResponse | null>(null);
  const [merchant, setMerchant] = useState('');

  const load = () => {
    const staff = getSession('staff');
    if (!staff) {
      void Taro.redirectTo({ url: `${sign_in_page}?redirect=${encodeURIComponent('/pages/boss/index')}` });
      return Promise.resolve();
    }
    setMerchant(staff.merchant.name);
    return call('bossToday', { query: {} })
      .then(setToday)
      .catch(() => undefined);
  };

  useDidShow(() => void load());
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  return (
    <View className='page'>
      <View className='section boss-hero'>
        <View className='muted'>
          {merchant} · {today ? `今日（${today.date}）营业额` : '今日营业额'}
        </View>
        <View id='takings-total' className='boss-total'>
          {today ? formatFen(today.takingsFen) : ''}
        </View>
        <View className='row boss-figures'>
          <View>
            <View className='muted'>订单数</View>
            <Text id='order-count' className='boss-figure'>{today ? String(today.orderCount) : ''}</Text>
          </View>
          <View>
            <View className='muted'>客单价</View>
            <Text id='avg-ticket' className='boss-figure'>{today ? formatFen(today.avgTicketFen) : ''}</Text>
          </View>
        </View>
      </View>
      <View className='section'>
        <View className='section-title'>收款方式</View>
        {today && today.byTender.length === 0 && <View className='muted'>今天还没有收款</View>}
        {today && today.byTender.length > 0 && (
          <>
            <TenderChart byTender={today.byTender} />
            {today.byTender.map((t) => (
              <View key={t.tender} className='row tender-row'>
                <Text>{tenderLabel(t.tender)}</Text>
                <Text className='price'>{formatFen(t.fen)}</Text>
              </View>
            ))}
          </>
        )}
      </View>
    </View>
  );
}

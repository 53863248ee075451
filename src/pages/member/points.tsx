import { Button, Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import type { z } from 'zod';
import type { pointsEntry } from '../../../shared/api/members';
import { beijingTimeText } from '../../../shared/beijing-time';
import { call, showError } from '../../services/api';
import './member.less';

type Entry = z.infer<typeof pointsEntry>;

/** 积分明细 (#17): the live balance and every movement, newest first, a page at a time. */
export default function PointsPage() {
  const [balance, setBalance] = useState<number | null>(null);
  const [items, setItems] = useState<Entry[]>([]);
  const [next, setNext] = useState<string | null>(null);

  const load = async (before?: string) => {
    try {
      const page = await call('memberPoints', { as: 'shopper', quiet: true, ...(before ? { query: { before } } : {}) });
      setBalance(page.balance);
      setItems((old) => (before ? [...old, ...page.items] : page.items));
      setNext(page.next);
    } catch (e) {
      showError(e);
    }
  };
  useDidShow(() => void load());

  return (
    <View className='page'>
      <View className='section'>
        <View className='muted'>可用积分</View>
        <View className='member-points' id='points-balance'>{balance ?? '…'}</View>
      </View>
      <View className='section' id='points-ledger'>
        {items.length === 0 && balance !== null && <View className='muted'>还没有积分变动</View>}
        {items.map((i) => (
          <View key={i.id} className='member-row points-entry'>
            <View>
              <View>{i.label}</View>
              <View className='member-row-sub'>{beijingTimeText(i.at)}</View>
            </View>
            <Text className={i.delta > 0 ? 'member-plus' : 'member-minus'}>{i.delta > 0 ? `+${i.delta}` : i.delta}</Text>
          </View>
        ))}
      </View>
      {next && <Button onClick={() => void load(next)}>加载更多</Button>}
    </View>
  );
}

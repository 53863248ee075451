import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { StoreSummary } from '../../../../shared/api/identity';
import type { DayCloseView } from '../../../../shared/api/shifts';
import { formatFen } from '../../../../shared/money';
import { call } from '../../../services/api';
import { beijingToday } from '../../../services/credit-view';
import type { BossScope } from '../../../services/boss-scope';
import { varianceWords } from '../../../services/shift';

/** Each store's day close, or none where it cannot be read (the boss home shows the rest). */
async function readDays(ids: string, date: string): Promise<DayCloseView[]> {
  const wanted = ids.split(',').filter((id) => id !== '');
  const days = await Promise.all(wanted.map((storeId) => call('dayClose', { query: { storeId, date }, quiet: true }).then((r) => r.dayClose, () => null)));
  return days.filter((d): d is DayCloseView => d !== null);
}

/**
 * Today's drawers on the boss home, one line per store in scope: shifts
 * still open or waiting for confirmation, the cash variance, and whether the
 * day is closed. Tapping a line opens 班次与日结 for that store.
 */
export function DayCloseEntry({ stores, scope }: { stores: readonly StoreSummary[]; scope: BossScope }) {
  const [days, setDays] = useState<DayCloseView[]>([]);
  const date = beijingToday();
  const ids = (scope.kind === 'store' ? stores.filter((s) => s.id === scope.storeId) : stores).map((s) => s.id).join(',');
  const load = () => void readDays(ids, date).then(setDays);
  useDidShow(load);
  useEffect(() => void readDays(ids, date).then(setDays), [ids, date]);
  return (
    <View className='section' id='day-close-entry'>
      <View className='section-title'>今日班次与日结</View>
      {days.length === 0 && <View className='muted'>读取中…</View>}
      {days.map((d) => {
        const waiting = d.shifts.filter((s) => s.status === 'closed').length;
        const state = d.closed ? '已日结' : d.openShiftCount > 0 ? `${d.openShiftCount} 个班未交班` : waiting > 0 ? `${waiting} 个班待确认` : d.shifts.length === 0 ? '今天还没开班' : '可以日结';
        return (
          <View key={d.storeId} className='row day-close-row' data-store-id={d.storeId} onClick={() => void Taro.navigateTo({ url: `/pages/boss/shifts/index?storeId=${d.storeId}&date=${date}` })}>
            <Text>
              {d.storeName} · {state}
            </Text>
            <Text className={d.varianceFen === 0 ? 'muted' : 'offline-tag'}>{d.varianceFen === 0 ? `现金 ${formatFen(d.tenders.find((t) => t.method === 'cash')?.amountFen ?? 0)}` : varianceWords(d.varianceFen, formatFen)} ›</Text>
          </View>
        );
      })}
    </View>
  );
}

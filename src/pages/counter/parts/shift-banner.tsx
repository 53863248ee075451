import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { ShiftView } from '../../../../shared/api/shifts';
import { formatFen } from '../../../../shared/money';
import { call } from '../../../services/api';
import { deviceId } from '../../../services/outbox-store';

/**
 * The drawer's state at the top of the billing screen: which shift the cash
 * goes into, or a prompt to open one. Sales still go through without a shift
 * (the day close lists them as 未归班次), so a forgotten 开班 never stops a sale.
 */
export function ShiftBanner({ storeId, online }: { storeId: string; online: boolean }) {
  const [shift, setShift] = useState<ShiftView | null | undefined>(undefined);
  const load = () => {
    if (!storeId || !online) return;
    call('currentShift', { query: { storeId, deviceId: deviceId() }, quiet: true })
      .then((r) => setShift(r.shift))
      .catch(() => undefined);
  };
  useDidShow(load);
  useEffect(load, [storeId, online]);
  if (shift === undefined) return null;
  const go = () => void Taro.navigateTo({ url: '/pages/counter/shift' });
  return (
    <View id='shift-banner' className={shift ? 'section shift-banner' : 'section shift-banner notice'} onClick={go}>
      {shift ? (
        <Text>
          本班 {shift.openedBy.name} · 应有现金 {formatFen(shift.cash.expectedFen)}
          {shift.overdue ? ' · 已过打烊时间' : ''} · 交接班 ›
        </Text>
      ) : (
        <Text>本机未开班：收到的现金不会记到任何班次。点此开班 ›</Text>
      )}
    </View>
  );
}

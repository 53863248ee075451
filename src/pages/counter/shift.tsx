import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { formatFen } from '../../../shared/money';
import { newId } from '../../../shared/ids';
import type { ShiftView } from '../../../shared/api/shifts';
import type { DenominationCount } from '../../../shared/shifts/cash';
import { call } from '../../services/api';
import { deviceId } from '../../services/outbox-store';
import { varianceWords } from '../../services/shift';
import { useCounterProfile } from './hooks';
import { CashMoves, CountDrawer, OpenShiftForm, ShiftSummary } from './parts/shift-parts';
import './counter.less';

/**
 * 交接班 on this phone: open with a float, record cash in and out, count the
 * drawer at the end. Every write carries an id made here, so a retry after
 * a lost answer does not open, move or close twice.
 */
export default function ShiftPage() {
  const { store } = useCounterProfile('/pages/counter/shift');
  const [shift, setShift] = useState<ShiftView | null | undefined>(undefined);
  const [closed, setClosed] = useState<ShiftView | null>(null);
  const [busy, setBusy] = useState(false);

  const load = async () => {
    if (!store) return;
    try {
      setShift((await call('currentShift', { query: { storeId: store.id, deviceId: deviceId() } })).shift);
    } catch {
      // call() has shown the reason.
    }
  };
  useDidShow(() => void load());

  const run = async <T,>(work: () => Promise<T>): Promise<T | null> => {
    setBusy(true);
    try {
      return await work();
    } catch {
      return null;
    } finally {
      setBusy(false);
    }
  };

  const open = (floatFen: number) =>
    void run(async () => {
      if (!store) return;
      const r = await call('openShift', { body: { clientShiftId: newId('shift'), storeId: store.id, deviceId: deviceId(), openingFloatFen: floatFen } });
      setClosed(null);
      setShift(r.shift);
      void Taro.showToast({ title: '已开班', icon: 'success' });
    });

  const move = async (m: { kind: ShiftView['moves'][number]['kind']; amountFen: number; reason: string }) =>
    (await run(async () => {
      if (!shift) return false;
      const r = await call('shiftCashMove', { params: { shiftId: shift.id }, body: { clientMoveId: newId('cashMove'), ...m } });
      setShift(r.shift);
      return true;
    })) === true;

  const close = (c: { counts: DenominationCount[]; note: string }) =>
    void run(async () => {
      if (!shift) return;
      const r = await call('closeShift', { params: { shiftId: shift.id }, body: { counts: c.counts, ...(c.note ? { note: c.note } : {}) } });
      setClosed(r.shift);
      setShift(null);
    });

  const back = () => void Taro.redirectTo({ url: '/pages/counter/index' });

  return (
    <View className='page counter'>
      {closed && (
        <View className='section' id='shift-closed'>
          <View className='section-title'>已交班</View>
          <View className='row preview-row'>
            <Text>应有现金</Text>
            <Text>{formatFen(closed.cash.expectedFen)}</Text>
          </View>
          <View className='row preview-row'>
            <Text>实点现金</Text>
            <Text>{formatFen(closed.countedFen ?? 0)}</Text>
          </View>
          <View className='row total-row'>
            <Text>差额</Text>
            <Text id='closed-variance' className={closed.varianceFen === 0 ? 'price' : 'offline-tag'}>
              {varianceWords(closed.varianceFen ?? 0, formatFen)}
            </Text>
          </View>
          <View className='muted'>差额已记账，店长确认后本班结束；把钱箱交给下一班或锁好。</View>
          <Button id='next-open' type='primary' onClick={() => setClosed(null)}>
            开下一班
          </Button>
          <Button id='back-to-counter' onClick={back}>
            回收银台
          </Button>
        </View>
      )}
      {!closed && shift === null && <OpenShiftForm busy={busy} onOpen={open} />}
      {shift && (
        <View>
          <ShiftSummary shift={shift} />
          <CashMoves shift={shift} busy={busy} onMove={move} />
          <CountDrawer shift={shift} busy={busy} onClose={close} />
        </View>
      )}
      {shift === undefined && !closed && <View className='section muted'>正在读取本机班次…</View>}
    </View>
  );
}

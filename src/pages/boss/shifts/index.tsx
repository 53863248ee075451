import { busyProps } from '../../../services/stock-ops';
import { Button, Picker, Text, View } from '@tarojs/components';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { formatFen } from '../../../../shared/money';
import type { DayCloseView, ShiftView } from '../../../../shared/api/shifts';
import type { StoreSummary } from '../../../../shared/api/identity';
import { call, sign_in_page, showError } from '../../../services/api';
import { getSession } from '../../../services/session';
import { ApiError } from '../../../services/errors';
import { beijingToday } from '../../../services/credit-view';
import { tenderLabel } from '../../../services/tenders';
import { varianceWords } from '../../../services/shift';
import { printEscpos, printerSupported } from '../../../services/printer-ble';
import { ShiftCard } from './shift-card';
import '../ledger/index.less';
import '../../../components/receipt-paper.less';
import './index.less';

/** 班次与日结: a store's shifts of a day, the manager's confirmation of each, the day's close and its handover slip. */
export default function Shifts() {
  const asked = useRouter().params;
  const [stores, setStores] = useState<StoreSummary[]>([]);
  const [storeId, setStoreId] = useState(asked.storeId ?? '');
  const [date, setDate] = useState(asked.date ?? beijingToday());
  const [day, setDay] = useState<DayCloseView | null>(null);
  const [slip, setSlip] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);

  const load = async (s = storeId, d = date) => {
    if (!getSession('staff')) {
      void Taro.redirectTo({ url: `${sign_in_page}?redirect=${encodeURIComponent('/pages/boss/shifts/index')}` });
      return;
    }
    try {
      const list = stores.length > 0 ? stores : (await call('stores')).items;
      setStores(list);
      const id = s || list[0]?.id || '';
      setStoreId(id);
      if (id) setDay((await call('dayClose', { query: { storeId: id, date: d } })).dayClose);
      setSlip(null);
    } catch {
      // call() has shown the reason.
    }
  };
  useDidShow(() => void load());

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } catch (e) {
      if (!(e instanceof ApiError)) showError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(false);
    }
  };
  const confirm = (s: ShiftView) =>
    void act(async () => {
      await call('confirmShift', { params: { shiftId: s.id }, body: {} });
      void Taro.showToast({ title: '已确认', icon: 'success' });
      await load();
    });
  const closeDay = () =>
    void act(async () => {
      const r = await call('closeDay', { body: { storeId, businessDate: date } });
      setDay(r.dayClose);
      void Taro.showToast({ title: '已日结', icon: 'success' });
    });
  const showSlip = () => void act(async () => setSlip((await call('dayCloseSlip', { query: { storeId, date } })).lines));
  const print = () => void act(async () => printEscpos((await call('dayCloseSlip', { query: { storeId, date } })).escposBase64));

  const storeIndex = Math.max(0, stores.findIndex((s) => s.id === storeId));
  return (
    <View className='page'>
      <View className='section row'>
        <Picker mode='selector' range={stores.map((s) => s.name)} value={storeIndex} onChange={(e) => void load(stores[Number(e.detail.value)]?.id ?? '', date)}>
          <Text id='shift-store' className='link'>
            {stores[storeIndex]?.name ?? '门店'} ▾
          </Text>
        </Picker>
        <Picker mode='date' value={date} end={beijingToday()} onChange={(e) => (setDate(e.detail.value), void load(storeId, e.detail.value))}>
          <Text id='shift-date' className='link'>
            {date} ▾
          </Text>
        </Picker>
      </View>
      {day && <DaySummary day={day} />}
      {day && (
        <View className='section' id='shift-list'>
          <View className='section-title'>班次（{day.shifts.length}）</View>
          {day.shifts.length === 0 && <View className='muted'>这一天没有开过班</View>}
          {day.shifts.map((s) => (
            <ShiftCard key={s.id} shift={s} busy={busy} onConfirm={confirm} />
          ))}
        </View>
      )}
      {day && (
        <View className='section actions' id='day-close-actions'>
          {day.closed ? (
            <View id='day-closed' className='muted'>
              {day.closed.by.name} 已于 {day.closed.at.slice(0, 10)} 日结
            </View>
          ) : (
            <Button id='close-day' type='primary' {...busyProps(busy || day.openShiftCount > 0)} onClick={closeDay}>
              {day.openShiftCount > 0 ? `还有 ${day.openShiftCount} 个班未交班` : '日结'}
            </Button>
          )}
          <Button id='show-slip' {...busyProps(busy)} onClick={showSlip}>
            查看交接单
          </Button>
          {printerSupported && (
            <Button id='print-slip' {...busyProps(busy)} onClick={print}>
              打印交接单
            </Button>
          )}
        </View>
      )}
      {slip && (
        <View className='section receipt-paper' id='day-slip'>
          {slip.map((l, i) => (
            <View key={i} className='receipt-line'>
              {l}
            </View>
          ))}
        </View>
      )}
    </View>
  );
}

/** The day's takings by tender and what the day close must explain. */
function DaySummary({ day }: { day: DayCloseView }) {
  const rows: [string, string, string][] = [
    ['销售', `${day.orderCount} 笔 ${formatFen(day.salesFen)}`, 'sales'],
    ...day.tenders.map((t): [string, string, string] => [`  ${tenderLabel(t.method)}`, `${t.count} 笔 ${formatFen(t.amountFen)}`, `tender-${t.method}`]),
    ['退货', day.returns.count === 0 ? '无' : `${day.returns.count} 笔 -${formatFen(day.returns.amountFen)}`, 'returns'],
    ['抹零', formatFen(day.roundingFen), 'rounding'],
    ['现金差额', varianceWords(day.varianceFen, formatFen), 'variance'],
  ];
  if (day.pendingPayments.count > 0) rows.push(['待确认线上支付', `${day.pendingPayments.count} 笔 ${formatFen(day.pendingPayments.amountFen)}`, 'pending']);
  if (day.unshifted.count > 0) rows.push(['未归班次的销售', `${day.unshifted.count} 笔（现金 ${formatFen(day.unshifted.cashFen)}）`, 'unshifted']);
  return (
    <View className='section' id='day-summary'>
      <View className='section-title'>
        {day.storeName} · {day.businessDate}
      </View>
      {rows.map(([label, value, id]) => (
        <View key={id} className='row preview-row' id={`day-${id}`}>
          <Text>{label}</Text>
          <Text>{value}</Text>
        </View>
      ))}
    </View>
  );
}

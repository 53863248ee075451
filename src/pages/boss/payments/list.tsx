import { Button, Input, Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useState } from 'react';
import type { PaymentListItem } from '../../../../shared/api/payments';
import { formatFen } from '../../../../shared/money';
import { usePaged } from '../../../hooks/use-paged';
import { call } from '../../../services/api';
import { shortBeijingTime } from '../../../services/boss-dashboard';
import { trailUrl } from '../../../services/pay-admin';
import { channel_names } from '../../../services/reconcile';
import { todayInBeijing } from '../../../services/report-view';
import { getSession } from '../../../services/session';
import { DateRow, FieldRow } from '../components/field-row';
import '../components/chips.less';
import './payments.less';

type Channel = PaymentListItem['channel'];
type Status = PaymentListItem['status'];

const status_names: Readonly<Record<Status, string>> = { succeeded: '已支付', pending: '等待付款', failed: '失败', closed: '已关闭' };
const mode_names: Readonly<Record<PaymentListItem['mode'], string>> = { code: '付款码', qr: '收款码', jsapi: '小程序' };

/** Every platform payment of a day, by channel and status, or one order's found by its receipt number; each opens its trail. */
export default function PaymentsList() {
  const stores = getSession('staff')?.stores ?? [];
  const [date, setDate] = useState(() => todayInBeijing());
  const [channel, setChannel] = useState<Channel | null>(null);
  const [status, setStatus] = useState<Status | null>(null);
  const [typed, setTyped] = useState('');
  // A search by receipt number looks across days; the day and filters apply when it is empty.
  const [q, setQ] = useState('');
  // Bumped by a pull-down so the same filters load again.
  const [round, setRound] = useState(0);

  const key = JSON.stringify({ date, channel, status, q, round });
  const list = usePaged<PaymentListItem>(key, (cursor) =>
    call('paymentsList', { query: q ? { q, cursor } : { date, cursor, ...(channel ? { channel } : {}), ...(status ? { status } : {}) } }),
  );
  usePullDownRefresh(() => {
    setRound((r) => r + 1);
    Taro.stopPullDownRefresh();
  });

  const storeName = (id: string) => stores.find((s) => s.id === id)?.name ?? '';
  const total = list.items.filter((p) => p.status === 'succeeded').reduce((t, p) => t + p.amountFen, 0);

  const chip = <T extends string>(value: T | null, current: T | null, label: string, set: (v: T | null) => void, id: string) => (
    <Text key={id} id={id} className={`rc-chip ${current === value ? 'rc-chip--on' : ''}`} onClick={() => set(value)}>
      {label}
    </Text>
  );

  return (
    <View className='page'>
      <View className='section' id='payments-search'>
        <FieldRow label='订单号'>
          <Input id='payments-q' placeholder='小票上的单号，如 DEMO01-20261123-0001' value={typed} confirmType='search' onInput={(e) => setTyped(e.detail.value)} onConfirm={() => setQ(typed.trim())} />
        </FieldRow>
        <View className='rc-actions'>
          <Button size='mini' id='payments-search-go' onClick={() => setQ(typed.trim())}>查找</Button>
          {q && (
            <Button size='mini' id='payments-search-clear' onClick={() => { setTyped(''); setQ(''); }}>
              按日期查看
            </Button>
          )}
        </View>
      </View>

      {!q && (
        <View className='section' id='payments-filters'>
          <DateRow label='日期' id='payments-date' value={date} end={todayInBeijing()} onChange={setDate} />
          <View>
            {chip<Channel>(null, channel, '全部渠道', setChannel, 'payments-channel-all')}
            {(['wechat', 'alipay'] as const).map((c) => chip<Channel>(c, channel, channel_names[c], setChannel, `payments-channel-${c}`))}
          </View>
          <View>
            {chip<Status>(null, status, '全部状态', setStatus, 'payments-status-all')}
            {(['succeeded', 'pending', 'failed', 'closed'] as const).map((s) => chip<Status>(s, status, status_names[s], setStatus, `payments-status-${s}`))}
          </View>
        </View>
      )}

      <View className='section' id='payments-list'>
        <View className='row'>
          <Text className='section-title'>{q ? `订单 ${q}` : date}</Text>
          <Text className='muted' id='payments-total'>已支付合计 {formatFen(total)}{list.done ? '' : '（已加载部分）'}</Text>
        </View>
        {list.items.length === 0 && !list.loading && <View className='muted'>{list.failed ? '加载失败，下拉刷新重试' : '没有符合条件的收款。'}</View>}
        {list.items.map((p) => (
          <View key={p.id} className='pay-admin-row payment-row' data-payment-id={p.id} onClick={() => void Taro.navigateTo({ url: trailUrl({ paymentId: p.id }) })}>
            <View className='row'>
              <Text>{channel_names[p.channel]} · {mode_names[p.mode]}</Text>
              <Text className={p.status === 'succeeded' ? '' : 'warn'}>{formatFen(p.amountFen)}</Text>
            </View>
            <View className='row muted'>
              <Text>{p.receiptNo || '未成单'} · {storeName(p.storeId)}</Text>
              <Text>
                {status_names[p.status]}
                {p.refundedFen > 0 ? ` · 已退 ${formatFen(p.refundedFen)}` : ''} · {shortBeijingTime(p.createdAt)} ›
              </Text>
            </View>
          </View>
        ))}
        {list.loading && <View className='muted list-end'>加载中…</View>}
        {!list.done && !list.loading && list.items.length > 0 && (
          <View className='link list-end' id='payments-more' onClick={list.more}>
            加载更多
          </View>
        )}
      </View>
    </View>
  );
}

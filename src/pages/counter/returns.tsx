import { Button, Input, Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { return_reason_length_max, type ReturnView } from '../../../shared/api/returns';
import { formatFen } from '../../../shared/money';
import { formatShanghaiTime } from '../../../shared/receipt/layout';
import { call } from '../../services/api';
import { canDecideReturns } from '../../services/counter-context';
import { useCounterProfile } from './hooks';
import { ApproveDiscount } from './parts/approve-discount';
import './counter.less';
import { busyProps } from '../../services/stock-ops';

/** Returns above an assistant's limit wait here for a manager or the owner. */
export default function PendingReturns() {
  const { profile, store } = useCounterProfile('/pages/counter/returns');
  const [items, setItems] = useState<ReturnView[]>([]);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState('');
  const allowed = canDecideReturns(profile?.role);

  const load = async () => {
    if (!store || !allowed) return;
    try {
      const r = await call('returns', { query: { storeId: store.id, status: 'pending_approval' } });
      setItems(r.items);
    } catch {
      // call() has shown the reason.
    }
  };
  useDidShow(() => void load());

  const decide = async (id: string, approve: boolean) => {
    const note = (notes[id] ?? '').trim() || (approve ? '同意' : '不同意');
    setBusy(id);
    try {
      await call(approve ? 'approveReturn' : 'rejectReturn', { params: { returnId: id }, body: { note } });
      setItems((xs) => xs.filter((x) => x.id !== id));
    } catch {
      // call() has shown the reason.
    } finally {
      setBusy('');
    }
  };

  if (profile && !allowed) return <View className='page counter'><View className='section muted'>只有店长和店主可以审批退货</View></View>;

  return (
    <View className='page counter'>
      <ApproveDiscount storeId={store?.id ?? ''} />
      <View className='section' id='pending-returns'>
        <View className='section-title'>待审批退货</View>
        {items.length === 0 && <View className='muted'>没有待审批的退货</View>}
        {items.map((r) => (
          <View key={r.id} className='list-item pending-return' data-return-id={r.id}>
            <View className='row'>
              <Text>{r.receiptNo}</Text>
              <Text className='price'>{formatFen(r.amountFen)}</Text>
            </View>
            <View className='muted'>
              {r.requestedBy.name} · {formatShanghaiTime(r.createdAt)} · {r.reason}
            </View>
            {r.lines.map((l) => (
              <View key={l.orderLineId} className='muted'>
                {l.name} × {l.qty} {formatFen(l.amountFen)}
              </View>
            ))}
            <Input
              className='counter-input decision-note'
              placeholder='审批意见'
              maxlength={return_reason_length_max}
              value={notes[r.id] ?? ''}
              onInput={(e) => setNotes((n) => ({ ...n, [r.id]: e.detail.value }))}
            />
            <View className='row'>
              <Button className='reject' size='mini' {...busyProps(busy === r.id)} onClick={() => void decide(r.id, false)}>
                驳回
              </Button>
              <Button className='approve' size='mini' type='primary' {...busyProps(busy === r.id)} onClick={() => void decide(r.id, true)}>
                同意退款
              </Button>
            </View>
          </View>
        ))}
      </View>
    </View>
  );
}

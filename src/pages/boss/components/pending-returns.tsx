import { Button, Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { return_reason_length_max, type ReturnView } from '../../../../shared/api/returns';
import { formatFen } from '../../../../shared/money';
import { call } from '../../../services/api';
import { decisionNoteProblem, shortBeijingTime } from '../../../services/boss-dashboard';

interface Props {
  items: readonly ReturnView[] | null;
  /** Called after a decision, so the list and the day's figures reload. */
  onDecided: () => void;
}

type Decision = 'approve' | 'reject';

/** Returns above an assistant's limit wait here for a manager or the owner, who must say why. */
export function PendingReturns({ items, onDecided }: Props) {
  const [notes, setNotes] = useState<Readonly<Record<string, string>>>({});
  const [busy, setBusy] = useState<string | null>(null);

  const decide = (item: ReturnView, decision: Decision) => {
    if (busy) return;
    const note = notes[item.id] ?? '';
    const problem = decisionNoteProblem(note);
    if (problem) {
      void Taro.showToast({ title: problem, icon: 'none' });
      return;
    }
    setBusy(item.id);
    const route = decision === 'approve' ? 'approveReturn' : 'rejectReturn';
    call(route, { params: { returnId: item.id }, body: { note: note.trim() } })
      .then(() => {
        void Taro.showToast({ title: decision === 'approve' ? '已同意退货' : '已拒绝退货', icon: 'none' });
        setNotes(({ [item.id]: _done, ...rest }) => rest);
        onDecided();
      })
      .catch(() => undefined)
      .finally(() => setBusy(null));
  };

  return (
    <View className='section' id='pending-returns-boss'>
      <View className='section-title'>待审批退货{items && items.length > 0 ? `（${items.length}）` : ''}</View>
      {items === null && <View className='muted'>加载中…</View>}
      {items?.length === 0 && <View className='muted empty'>没有待审批的退货。超出店员权限的退货会出现在这里，由你同意或拒绝。</View>}
      {items?.map((r) => (
        <View key={r.id} className='pending-return-row' data-return-id={r.id}>
          <View className='row'>
            <Text>小票 {r.receiptNo}</Text>
            <Text className='price'>{formatFen(r.amountFen)}</Text>
          </View>
          <View className='muted'>
            {r.requestedBy.name} · {shortBeijingTime(r.createdAt)} · 原因：{r.reason}
          </View>
          <View className='muted'>{r.lines.map((l) => `${l.name}×${l.qty}`).join('，')}</View>
          <Input
            id={`return-note-${r.id}`}
            className='decision-note'
            placeholder='审批说明（必填）'
            maxlength={return_reason_length_max}
            value={notes[r.id] ?? ''}
            onInput={(e) => {
              const value = e.detail.value;
              setNotes((prev) => ({ ...prev, [r.id]: value }));
            }}
          />
          <View className='row decision-buttons'>
            <Button id={`reject-${r.id}`} size='mini' disabled={busy !== null || undefined} onClick={() => decide(r, 'reject')}>
              拒绝
            </Button>
            <Button id={`approve-${r.id}`} size='mini' type='primary' disabled={busy !== null || undefined} onClick={() => decide(r, 'approve')}>
              同意退货
            </Button>
          </View>
        </View>
      ))}
    </View>
  );
}

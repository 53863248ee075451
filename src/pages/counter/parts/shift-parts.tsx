import { busyProps } from '../../../services/stock-ops';
import { Button, Input, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { formatFen } from '../../../../shared/money';
import { formatShanghaiTime } from '../../../../shared/receipt/layout';
import { denomination_labels, denominations_fen, type DenominationFen } from '../../../../shared/shifts/cash';
import { shift_reason_length_max, type CashMoveKindName, type ShiftView } from '../../../../shared/api/shifts';
import { cash_move_labels, drawerCount, typedFen, varianceWords } from '../../../services/shift';
import { tenderLabel } from '../../../services/tenders';

/** The float typed in yuan and the 开班 button. */
export function OpenShiftForm({ busy, onOpen }: { busy: boolean; onOpen: (floatFen: number) => void }) {
  const [text, setText] = useState('');
  const fen = typedFen(text);
  return (
    <View className='section' id='open-shift'>
      <View className='section-title'>开班</View>
      <View className='muted'>数一数钱箱里的备用金（找零用的零钱），填好后开班；本班的现金收支都记在这一班。</View>
      <View className='field'>
        <Text className='field-label'>备用金（元）</Text>
        <Input id='opening-float' className='counter-input' type='digit' placeholder='如 500' value={text} onInput={(e) => setText(e.detail.value)} />
      </View>
      <Button id='open-shift-button' type='primary' {...busyProps(busy || fen === null)} {...busyProps(busy, true)} onClick={() => fen !== null && onOpen(fen)}>
        开班{fen !== null ? ` · 备用金 ${formatFen(fen)}` : ''}
      </Button>
    </View>
  );
}

/** What the drawer should hold now, line by line, so the assistant sees where the expected cash comes from. */
export function ShiftSummary({ shift }: { shift: ShiftView }) {
  const rows: [string, string, string][] = [
    ['备用金', formatFen(shift.openingFloatFen), 'float'],
    ['现金收入', formatFen(shift.cash.salesFen), 'cash-sales'],
    ['现金退款', shift.cash.refundsFen === 0 ? formatFen(0) : `-${formatFen(shift.cash.refundsFen)}`, 'cash-refunds'],
    ['存入', formatFen(shift.cash.inFen), 'cash-in'],
    ['取出', shift.cash.outFen === 0 ? formatFen(0) : `-${formatFen(shift.cash.outFen)}`, 'cash-out'],
    // Stored-value top-ups and gift cash in, stored-value refunds out (#17): shown only when there were any.
    ...(shift.cash.memberFen !== 0 ? [['会员储值与礼品现金', shift.cash.memberFen < 0 ? `-${formatFen(-shift.cash.memberFen)}` : formatFen(shift.cash.memberFen), 'cash-member'] as [string, string, string]] : []),
  ];
  return (
    <View className='section' id='shift-summary'>
      <View className='row'>
        <Text className='section-title'>本班</Text>
        <Text className={shift.overdue ? 'offline-tag' : 'muted'}>{shift.overdue ? '已过打烊时间，请交班' : `${shift.openedBy.name} ${formatShanghaiTime(shift.openedAt).slice(5, 16)} 开班`}</Text>
      </View>
      {rows.map(([label, value, id]) => (
        <View key={id} className='row preview-row'>
          <Text>{label}</Text>
          <Text id={`shift-${id}`}>{value}</Text>
        </View>
      ))}
      <View className='row total-row'>
        <Text className='section-title'>应有现金</Text>
        <Text id='shift-expected' className='price total'>
          {formatFen(shift.cash.expectedFen)}
        </Text>
      </View>
      <View className='muted'>
        {shift.orderCount} 笔销售：{shift.tenders.map((t) => `${tenderLabel(t.method)} ${formatFen(t.amountFen)}`).join('，') || '还没有'}
        {shift.lateOrderCount > 0 ? `（含 ${shift.lateOrderCount} 笔补传的离线单）` : ''}
      </View>
    </View>
  );
}

const move_kinds: CashMoveKindName[] = ['petty_cash', 'bank_deposit', 'change_fund_in', 'change_fund_out'];

/** Cash put into or taken out of the drawer, always with a reason, and the list of what was moved. */
export function CashMoves({ shift, busy, onMove }: { shift: ShiftView; busy: boolean; onMove: (m: { kind: CashMoveKindName; amountFen: number; reason: string }) => Promise<boolean> }) {
  const [kind, setKind] = useState<CashMoveKindName>('petty_cash');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const fen = typedFen(amount);
  const ready = fen !== null && fen > 0 && reason.trim() !== '';
  const submit = async () => {
    if (!ready) return;
    if (await onMove({ kind, amountFen: fen, reason: reason.trim() })) {
      setAmount('');
      setReason('');
    }
  };
  return (
    <View className='section' id='cash-moves'>
      <View className='section-title'>现金存取</View>
      <View className='row chips'>
        {move_kinds.map((k) => (
          <Text key={k} className={k === kind ? 'chip chip--on' : 'chip'} data-kind={k} onClick={() => setKind(k)}>
            {cash_move_labels[k]}
          </Text>
        ))}
      </View>
      <View className='field'>
        <Text className='field-label'>金额（元）</Text>
        <Input id='move-amount' className='counter-input' type='digit' value={amount} onInput={(e) => setAmount(e.detail.value)} />
      </View>
      <View className='field'>
        <Text className='field-label'>原因</Text>
        <Input id='move-reason' className='counter-input' maxlength={shift_reason_length_max} placeholder='如：买垃圾袋' value={reason} onInput={(e) => setReason(e.detail.value)} />
      </View>
      <Button id='move-submit' {...busyProps(busy || !ready)} onClick={() => void submit()}>
        记录{cash_move_labels[kind]}
      </Button>
      {shift.moves.map((m) => (
        <View key={m.id} className='row list-item cash-move'>
          <Text>
            {cash_move_labels[m.kind]} · {m.reason}
          </Text>
          <Text>{m.kind === 'change_fund_in' ? formatFen(m.amountFen) : `-${formatFen(m.amountFen)}`}</Text>
        </View>
      ))}
    </View>
  );
}

/** The drawer counted note by note; the total and the difference from what is expected update as it is typed. */
export function CountDrawer({ shift, busy, onClose }: { shift: ShiftView; busy: boolean; onClose: (c: { counts: { denominationFen: DenominationFen; count: number }[]; note: string }) => void }) {
  const [typed, setTyped] = useState<Partial<Record<DenominationFen, string>>>({});
  const [note, setNote] = useState('');
  const { counts, totalFen, invalid } = drawerCount(typed);
  const variance = totalFen - shift.cash.expectedFen;
  return (
    <View className='section' id='count-drawer'>
      <View className='section-title'>交班清点</View>
      {denominations_fen.map((d) => (
        <View key={d} className='row denomination'>
          <Text className='field-label'>{denomination_labels[d]}</Text>
          <Input className={invalid.includes(d) ? 'counter-input count-input invalid' : 'counter-input count-input'} data-denomination={d} type='number' placeholder='张/枚' value={typed[d] ?? ''} onInput={(e) => setTyped((t) => ({ ...t, [d]: e.detail.value }))} />
        </View>
      ))}
      <View className='row total-row'>
        <Text>实点现金</Text>
        <Text id='counted-total' className='price'>
          {formatFen(totalFen)}
        </Text>
      </View>
      <View className='row'>
        <Text>与应有现金相比</Text>
        <Text id='count-variance' className={variance === 0 ? 'muted' : 'offline-tag'}>
          {varianceWords(variance, formatFen)}
        </Text>
      </View>
      <Input id='close-note' className='counter-input' placeholder='备注（有差额时请说明）' value={note} onInput={(e) => setNote(e.detail.value)} />
      <Button id='close-shift' type='primary' {...busyProps(busy || invalid.length > 0)} {...busyProps(busy, true)} onClick={() => onClose({ counts, note: note.trim() })}>
        交班 · 实点 {formatFen(totalFen)}
      </Button>
    </View>
  );
}

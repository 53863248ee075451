import { busyProps } from '../../../services/stock-ops';
import { Button, Input, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { discount_approval_minutes, discount_approval_note_length_max } from '../../../../shared/api/discounts';
import { formatFen } from '../../../../shared/money';
import { formatShanghaiTime } from '../../../../shared/receipt/layout';
import { call } from '../../../services/api';
import { typedFen } from '../../../services/shift';

/**
 * A manager lets one sale in this store take more off by hand than the
 * assistant may: the amount and the reason make a six-digit code, good for
 * one sale within a few minutes, which the assistant types at the counter.
 */
export function ApproveDiscount({ storeId }: { storeId: string }) {
  const [amount, setAmount] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState<{ code: string; maxFen: number; expiresAt: string } | null>(null);
  const fen = typedFen(amount);
  const ready = fen !== null && fen > 0 && note.trim() !== '' && storeId !== '';
  const make = async () => {
    if (!ready || busy) return;
    setBusy(true);
    try {
      setMade(await call('approveDiscount', { body: { storeId, maxFen: fen, note: note.trim() } }));
    } catch {
      // call() has shown the reason.
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className='section' id='approve-discount'>
      <View className='section-title'>改价审批码</View>
      <View className='muted'>店员改价超出权限时，在这里生成审批码告诉店员；一个码只能用于一单，{discount_approval_minutes} 分钟内有效。</View>
      <View className='field'>
        <Text className='field-label'>最多优惠（元）</Text>
        <Input id='approve-discount-amount' className='counter-input' type='digit' value={amount} onInput={(e) => setAmount(e.detail.value)} />
      </View>
      <View className='field'>
        <Text className='field-label'>原因</Text>
        <Input id='approve-discount-note' className='counter-input' maxlength={discount_approval_note_length_max} placeholder='如：老顾客整箱购买' value={note} onInput={(e) => setNote(e.detail.value)} />
      </View>
      <Button id='approve-discount-make' type='primary' {...busyProps(!ready || busy)} {...busyProps(busy, true)} onClick={() => void make()}>
        生成审批码
      </Button>
      {made && (
        <View className='handover-done' id='approve-discount-code'>
          <Text className='pickup-code-big'>{made.code}</Text>
          <View className='muted'>
            最多优惠 {formatFen(made.maxFen)}，{formatShanghaiTime(made.expiresAt).slice(11, 16)} 前有效
          </View>
        </View>
      )}
    </View>
  );
}

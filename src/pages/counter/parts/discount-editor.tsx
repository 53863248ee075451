import { Button, Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { Discount } from '../../../../shared/pricing/types';
import { parseDiscount } from '../../../services/counter-cart';

const quick_discount_reasons = ['熟客', '瑕疵', '临期', '店长同意'] as const;

/** A line's or the order's discount as typed (`target` is the SKU id, or `order`): the value stays text until it is applied. */
export type DiscountDraft = { target: string; kind: 'percent_off' | 'amount_off'; value: string; reason: string };

interface Props {
  draft: DiscountDraft;
  onChange: (draft: DiscountDraft) => void;
  /** Sets the line's discount, or removes it with `undefined`, and closes the editor. */
  onDone: (discount: Discount | undefined) => void;
}

/** The editor for one cart line's discount (单品优惠) or the order's (整单优惠): a percentage or an amount, always with a reason. */
export function DiscountEditor({ draft, onChange, onDone }: Props) {
  const apply = () => {
    const parsed = parseDiscount(
      draft.kind === 'percent_off' ? { kind: 'percent_off', percent: draft.value, reason: draft.reason } : { kind: 'amount_off', yuan: draft.value, reason: draft.reason },
    );
    if (!parsed.ok) {
      void Taro.showToast({ title: parsed.message, icon: 'none' });
      return;
    }
    onDone(parsed.discount);
  };

  return (
    <View className='discount-editor'>
      <View className='row'>
        <Text className={draft.kind === 'percent_off' ? 'chip chip--on' : 'chip'} onClick={() => onChange({ ...draft, kind: 'percent_off' })}>
          按比例 %
        </Text>
        <Text className={draft.kind === 'amount_off' ? 'chip chip--on' : 'chip'} onClick={() => onChange({ ...draft, kind: 'amount_off' })}>
          减金额 ¥
        </Text>
      </View>
      <Input
        className='counter-input discount-value'
        type='digit'
        placeholder={draft.kind === 'percent_off' ? '优惠百分比，如 10 表示九折' : '优惠金额（元）'}
        value={draft.value}
        onInput={(e) => onChange({ ...draft, value: e.detail.value })}
      />
      <Input className='counter-input discount-reason' placeholder='原因（必填）' value={draft.reason} onInput={(e) => onChange({ ...draft, reason: e.detail.value })} />
      <View className='row'>
        {quick_discount_reasons.map((r) => (
          <Text key={r} className='chip' onClick={() => onChange({ ...draft, reason: r })}>
            {r}
          </Text>
        ))}
      </View>
      <View className='row'>
        <Button size='mini' className='discount-clear' onClick={() => onDone(undefined)}>
          取消优惠
        </Button>
        <Button size='mini' type='primary' className='discount-apply' onClick={apply}>
          确定
        </Button>
      </View>
    </View>
  );
}

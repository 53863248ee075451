import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { formatFen } from '../../../../shared/money';
import type { Discount } from '../../../../shared/pricing/types';
import type { Preview } from '../../../services/counter-cart';
import { DiscountEditor, type DiscountDraft } from './discount-editor';

interface Props {
  discount: Discount | undefined;
  /** What the engine took off for it, from the priced bill's order rows; null while unpriced. */
  preview: Preview | null;
  onDiscount: (discount: Discount | undefined) => void;
}

const order_discount_label = '整单优惠';

/** The discount as typed, in one line. */
function discountText(d: Discount): string {
  return d.kind === 'percent_off' ? `减 ${d.bp / 100}%` : `减 ${formatFen(d.fen)}`;
}

/**
 * 整单优惠: a percentage or an amount off the whole order with a reason. The
 * engine (shared/pricing) prices it after promotions, exactly as checkout
 * does; the hand-discount limit of the role is checked below the sheet's
 * lines by DiscountApproval, which asks for a manager's code above it.
 */
export function OrderDiscount({ discount, preview, onDiscount }: Props) {
  const [draft, setDraft] = useState<DiscountDraft | null>(null);
  const takenFen = preview?.orderRows.find((r) => r.kind === 'order_discount')?.fen ?? null;
  return (
    <View className='sheet-section' id='order-discount'>
      <View className='row'>
        <Text className='field-label'>{order_discount_label}</Text>
        <Text id='order-discount-value' className='grow'>
          {discount ? `${discountText(discount)}（${discount.reason}）` : '无'}
        </Text>
        {discount && takenFen !== null && <Text className='price'>-{formatFen(takenFen)}</Text>}
        <Text
          id='order-discount-edit'
          className='link order-discount-edit'
          onClick={() => setDraft(draft ? null : { target: 'order', kind: discount?.kind ?? 'percent_off', value: '', reason: discount?.reason ?? '' })}
        >
          {draft ? '收起' : discount ? '修改' : '添加'}
        </Text>
      </View>
      {draft && (
        <DiscountEditor
          draft={draft}
          onChange={setDraft}
          onDone={(chosen) => {
            onDiscount(chosen);
            setDraft(null);
          }}
        />
      )}
    </View>
  );
}

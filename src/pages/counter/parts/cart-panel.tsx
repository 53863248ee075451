import { Button, Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { MemberCard } from '../../../../shared/api/members';
import { formatFen } from '../../../../shared/money';
import { billCount, setLineDiscount, setLineQty, type CounterBill, type Preview } from '../../../services/counter-cart';
import { DiscountEditor, type DiscountDraft } from './discount-editor';

interface Props {
  bill: CounterBill;
  /** Changes the bill from its latest value, as React state updaters do. */
  onBill: (change: (bill: CounterBill) => CounterBill) => void;
  /** The priced bill, line by line in the bill's order; null while it cannot be priced. */
  preview: Preview | null;
  member: MemberCard | null;
}

/** The shopping list in the cart sheet: each line's quantity, what pricing took off it, its discount editor and its removal. */
export function CartPanel({ bill, onBill, preview, member }: Props) {
  const [discount, setDiscount] = useState<DiscountDraft | null>(null);

  return (
    <View className='sheet-section' id='cart' data-count={billCount(bill)}>
      {bill.lines.length === 0 && <View className='muted'>扫码或搜索添加商品</View>}
      {bill.lines.map((l, i) => {
        const p = preview?.lines[i];
        return (
          <View key={l.skuId} className='cart-line' data-sku-id={l.skuId}>
            <View className='row'>
              <View className='grow'>
                <View className='product-name'>{l.name}</View>
                <View className='muted'>
                  {l.spec ? `${l.spec} · ` : ''}
                  {formatFen(l.retailPriceFen)}
                  {member && l.memberPriceFen < l.retailPriceFen ? ` · 会员 ${formatFen(l.memberPriceFen)}` : ''}
                </View>
              </View>
              <View className='row qty'>
                <Button className='qty-minus' size='mini' onClick={() => onBill((b) => setLineQty(b, l.skuId, l.qty - 1))}>
                  −
                </Button>
                <Text className='qty-value'>{l.qty}</Text>
                <Button className='qty-plus' size='mini' onClick={() => onBill((b) => setLineQty(b, l.skuId, l.qty + 1))}>
                  +
                </Button>
              </View>
            </View>
            {p?.rows.map((r) => (
              <View key={r.label} className='row adjustment-row'>
                <Text className='muted'>{r.label}</Text>
                <Text className='muted'>-{formatFen(r.fen)}</Text>
              </View>
            ))}
            <View className='row'>
              <Text className='link line-remove' onClick={() => onBill((b) => setLineQty(b, l.skuId, 0))}>
                移除
              </Text>
              <Text className='link line-discount' onClick={() => setDiscount({ target: l.skuId, kind: 'percent_off', value: '', reason: l.discount?.reason ?? '' })}>
                {l.discount ? '修改优惠' : '单品优惠'}
              </Text>
              <Text className='grow' />
              <Text className='line-net'>{p ? formatFen(p.afterLineFen) : ''}</Text>
            </View>
            {discount?.target === l.skuId && (
              <DiscountEditor
                draft={discount}
                onChange={setDiscount}
                onDone={(chosen) => {
                  onBill((b) => setLineDiscount(b, l.skuId, chosen));
                  setDiscount(null);
                }}
              />
            )}
          </View>
        );
      })}
    </View>
  );
}

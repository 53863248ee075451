import { ScrollView, Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';

interface Props {
  open: boolean;
  count: number;
  /** The part to scroll to when the sheet opens (`preview` for 收款, empty for the top). */
  scrollTo: string;
  onClose: () => void;
  onClear: () => void;
  /** Notes that must be read before anything else (改收现金, a price that changed); shown above the lines. */
  notes: ReactNode;
  children: ReactNode;
}

/**
 * The cart as a sheet that slides up from the bottom bar: lines, 整单优惠,
 * member and payment, scrolling inside itself so the page never needs a long
 * scroll. It is only rendered while open, so nothing hidden in it can be
 * tapped by mistake.
 */
export function CartSheet({ open, count, scrollTo, onClose, onClear, notes, children }: Props) {
  if (!open) return null;
  return (
    <View className='sheet-layer'>
      <View id='sheet-mask' className='sheet-mask' onClick={onClose} />
      <View id='cart-sheet' className='cart-sheet'>
        <View className='sheet-head row'>
          <Text className='section-title sheet-title'>购物清单（{count} 件）</Text>
          <View className='row'>
            {count > 0 && (
              <Text id='cart-clear' className='link' onClick={onClear}>
                清空
              </Text>
            )}
            <Text id='sheet-close' className='link sheet-close' onClick={onClose}>
              收起 ▾
            </Text>
          </View>
        </View>
        {notes}
        <ScrollView className='sheet-body' scrollY scrollIntoView={scrollTo} scrollWithAnimation>
          {children}
        </ScrollView>
      </View>
    </View>
  );
}

import { Button, Text, View } from '@tarojs/components';
import { formatFen } from '../../../../shared/money';

interface BarProps {
  count: number;
  /** What the customer owes after every discount, in the chosen tender; null while the bill cannot be priced. */
  dueFen: number | null;
  discountFen: number;
  sheetOpen: boolean;
  onToggle: () => void;
  onPay: () => void;
}

/**
 * The bar fixed at the bottom of the counter, in reach of the thumb: how
 * many items, what they come to after discounts, and 收款. Tapping the
 * count opens or closes the cart sheet; 收款 opens it at the payment part.
 */
export function CounterBar({ count, dueFen, discountFen, sheetOpen, onToggle, onPay }: BarProps) {
  return (
    <View id='counter-bar' className='counter-bar'>
      <View id='bar-summary' className='bar-summary' onClick={onToggle}>
        <View className='bar-cart'>
          {/* Keyed by the count, so the bump animation plays again on every add. */}
          <Text key={count} id='bar-count' className={count > 0 ? 'bar-count bar-count--bump' : 'bar-count bar-count--empty'}>
            {count}
          </Text>
          <Text className='bar-unit'>件 {sheetOpen ? '▾' : '▴'}</Text>
        </View>
        <View className='bar-money'>
          <Text id='bar-total' className='bar-total'>
            {formatFen(dueFen ?? 0)}
          </Text>
          {discountFen > 0 && <Text className='bar-saved'>已优惠 {formatFen(discountFen)}</Text>}
        </View>
      </View>
      <Button id='bar-pay' type='primary' className='bar-pay' {...(count === 0 ? { disabled: true } : {})} onClick={onPay}>
        收款
      </Button>
    </View>
  );
}

/** The brief note above the bar that an item went on the bill; a new add replaces it. */
export function AddFlash({ flash }: { flash: { text: string; key: number } | null }) {
  if (!flash) return null;
  return (
    <View key={flash.key} id='add-flash' className='add-flash' role='status'>
      {flash.text}
    </View>
  );
}

import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { formatFen } from '../../../../shared/money';
import { cartCount, cartTotalFen, type Cart } from '../../../services/cart';
import { changeQty, loadCart } from '../../../services/cart-store';
import { currentStoreCode } from '../../../services/store-code';
import { productUrl } from '../product/product-source';

export default function CartPage() {
  const [cart, setCart] = useState<Cart | null>(null);

  // The cart changes on other tabs; read it each time this tab shows.
  useDidShow(() => setCart(loadCart(currentStoreCode())));

  if (!cart) return <View className='page' />;
  const setQty = (skuId: string, qty: number) => setCart(changeQty(cart.storeCode, skuId, qty));

  return (
    <View className='page'>
      <View className='section'>
        <View className='section-title'>购物车（{cartCount(cart)} 件）</View>
        {cart.lines.length === 0 && <View className='muted'>购物车是空的，去首页挑几件吧</View>}
        {cart.lines.map((line) => (
          <View key={line.skuId} className='product-row cart-line'>
            <View className='cart-line-info' onClick={() => void Taro.navigateTo({ url: productUrl(line.productId, cart.storeCode) })}>
              <View className='product-name'>{line.name}</View>
              <View className='muted'>
                {line.spec ? `${line.spec} · ` : ''}
                {formatFen(line.priceFen)}
              </View>
            </View>
            <View className='row'>
              <Button size='mini' onClick={() => setQty(line.skuId, line.qty - 1)}>
                －
              </Button>
              <Text style={{ margin: '0 16px' }}>{line.qty}</Text>
              <Button size='mini' onClick={() => setQty(line.skuId, line.qty + 1)}>
                ＋
              </Button>
            </View>
          </View>
        ))}
      </View>
      {cart.lines.length > 0 && (
        <View className='section row'>
          <Text>
            合计 <Text className='price' id='cart-total'>{formatFen(cartTotalFen(cart))}</Text>
          </Text>
          <Button size='mini' type='primary' onClick={() => void Taro.showToast({ title: '下单即将开放', icon: 'none' })}>
            去结算
          </Button>
        </View>
      )}
    </View>
  );
}

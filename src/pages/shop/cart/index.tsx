import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import type { ProductSummary } from '../../../../shared/api/catalog';
import { newId } from '../../../../shared/ids';
import { formatFen } from '../../../../shared/money';
import { call, showError } from '../../../services/shop-api';
import { cartCount, cartTotalFen, type Cart } from '../../../services/cart';
import { changeQty, loadCart } from '../../../services/cart-store';
import { ApiError } from '../../../services/errors';
import { ensureShopper } from '../../../services/auth';
import { priceShopCart, shopOrderRequestFor, type ShopPricing } from '../../../services/shop-checkout';
import { payOnPlatform, shopChannels, shopperFor, type ShopChannel } from '../../../services/shop-pay';
import { currentStoreCode, currentTableNo } from '../../../services/store-code';
import { productUrl } from '../product/product-source';
import { picked_coupon_key } from '../../../services/coupon-pick';
import type { CouponRule } from '../../../../shared/pricing/types';

/** The coupon chosen in the member sub-package's chooser (pages/member/coupons?pick=), for the store it was chosen in. */
type Picked = { storeId: string; id: string; name: string; rule: CouponRule } | null;

const channelLabels: Record<ShopChannel, string> = { wechat: '微信支付', alipay: '支付宝支付' };

/** The last order made from this cart, with what it was made of: paying again after a cancelled sheet reuses it. */
interface Placed {
  fingerprint: string;
  clientOrderId: string;
}

export default function CartPage() {
  const [cart, setCart] = useState<Cart | null>(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState('');
  const [preview, setPreview] = useState<ShopPricing | null>(null);
  const placed = useRef<Placed | null>(null);
  const channels = shopChannels();

  const [coupon, setCoupon] = useState<Picked>(null);
  // The member's stored-value balance (储值), and whether to pay from it; null until known.
  const [storedValue, setStoredValue] = useState<number | null>(null);
  const [useStored, setUseStored] = useState(false);

  // The cart changes on other tabs, and the coupon in the chooser; read both each time this tab shows.
  useDidShow(() => {
    setCart(loadCart(currentStoreCode()));
    const raw = String(Taro.getStorageSync(picked_coupon_key) || '');
    setCoupon(raw ? (JSON.parse(raw) as Picked) : null);
  });
  const pickCoupon = () => void ensureShopper(currentStoreCode()).then((s) => s && Taro.navigateTo({ url: `/pages/member/coupons?pick=${s.store.id}` }));

  // What the shopper will pay, member prices and promotions included, priced as the server will price it.
  useEffect(() => {
    if (!cart || cart.lines.length === 0) return setPreview(null);
    let live = true;
    void ensureShopper(cart.storeCode)
      .then((shopper) => (shopper ? priceNow(cart, shopper.store.id, coupon) : null))
      .then((r) => {
        if (!live) return;
        setPreview(r?.priced ?? null);
        setStoredValue(r?.storedValueFen ?? null);
      })
      .catch(() => live && setPreview(null));
    return () => {
      live = false;
    };
  }, [cart, coupon]);

  if (!cart) return <View className='page' />;
  const setQty = (skuId: string, qty: number) => setCart(changeQty(cart.storeCode, skuId, qty));

  // What stored value pays: as much of the total as the balance covers; the platform is asked for the rest.
  const fromStored = useStored && storedValue && preview?.ok ? Math.min(storedValue, preview.totalFen) : 0;
  const restFen = preview?.ok ? preview.totalFen - fromStored : null;

  const checkout = async (channel: ShopChannel | 'stored_value') => {
    if (busy) return;
    setBusy(true);
    setNote('');
    try {
      const shopper = channel === 'stored_value' ? await ensureShopper(cart.storeCode) : await shopperFor(channel, cart.storeCode);
      if (!shopper) throw new Error('登录失败，请稍后重试');
      const storeId = shopper.store.id;
      const { priced, storedValueFen: balance } = await priceNow(cart, storeId, coupon);
      setPreview(priced);
      setStoredValue(balance);
      if (!priced.ok) throw new Error(priced.message);

      const couponId = coupon?.storeId === storeId ? coupon.id : undefined;
      const storedValueFen = useStored && balance ? Math.min(balance, priced.totalFen) : 0;
      if (channel === 'stored_value' && storedValueFen < priced.totalFen) throw new Error('储值余额不足，请选择其他支付方式付余下的部分');
      const draft = { storeId, expectedTotalFen: priced.totalFen, tableNo: currentTableNo(cart.storeCode), ...(couponId ? { couponId } : {}), ...(storedValueFen > 0 ? { storedValueFen } : {}) };
      const fingerprint = JSON.stringify([shopper.member.id, shopOrderRequestFor(cart, { ...draft, clientOrderId: '' })]);
      const clientOrderId = placed.current?.fingerprint === fingerprint ? placed.current.clientOrderId : newId('order');
      placed.current = { fingerprint, clientOrderId };
      const { order } = await call('shopCreateOrder', { body: shopOrderRequestFor(cart, { ...draft, clientOrderId }), quiet: true });
      if (order.status === 'paid') {
        // Stored value paid it all: the sale is done, and the order page shows its pickup code.
        Taro.removeStorageSync(picked_coupon_key);
        void Taro.navigateTo({ url: `/pages/shop/order/index?orderId=${order.id}` });
        return;
      }
      if (channel === 'stored_value') throw new Error('订单未能用储值付清，请刷新后重试');
      const { payment } = await call('shopPay', { params: { orderId: order.id }, body: { clientPaymentId: newId('payment'), channel }, quiet: true });
      if (!payment.jsapi) throw new Error('支付平台没有返回支付参数，请重试');
      const outcome = await payOnPlatform(payment.jsapi);
      if (outcome === 'cancelled') {
        setNote('已取消支付，订单保留 15 分钟，可以再次支付');
        return;
      }
      // The order holds the coupon now (it comes back if the order lapses unpaid); the next cart starts without one.
      Taro.removeStorageSync(picked_coupon_key);
      // Whatever the sheet said, the order page asks the server, which asks the platform.
      void Taro.navigateTo({ url: `/pages/shop/order/index?orderId=${order.id}&paymentId=${payment.id}` });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'price_mismatch') {
        placed.current = null;
        setNote('价格或优惠刚刚更新，请再点一次支付');
      } else if (e instanceof ApiError && e.status !== 0) {
        placed.current = null;
        showError(e);
      } else showError(e);
    } finally {
      setBusy(false);
    }
  };

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
        <View className='section'>
          <View className='row'>
            <Text>
              {preview?.ok ? '应付' : '合计'} <Text className='price' id='cart-total'>{formatFen(preview?.ok ? preview.totalFen : cartTotalFen(cart))}</Text>
            </Text>
            {preview?.ok && preview.discountFen > 0 && <Text className='muted'>已优惠 {formatFen(preview.discountFen)}</Text>}
          </View>
          <View className='row' id='cart-coupon' onClick={pickCoupon}>
            <Text>优惠券</Text>
            <Text className='muted'>{coupon ? coupon.name : '选择'} ›</Text>
          </View>
          {storedValue !== null && storedValue > 0 && (
            <View className='row' id='cart-stored-value' onClick={() => setUseStored(!useStored)}>
              <Text>储值支付（余额 {formatFen(storedValue)}）</Text>
              <Text className={useStored ? 'price' : 'muted'}>{useStored ? `已选 −${formatFen(fromStored)}` : '使用'}</Text>
            </View>
          )}
          {fromStored > 0 && restFen !== null && restFen > 0 && <View className='muted'>储值付 {formatFen(fromStored)}，还需支付 {formatFen(restFen)}</View>}
          {preview && !preview.ok && <View className='muted'>{preview.message}</View>}
          {note !== '' && (
            <View className='muted' id='cart-note'>
              {note}
            </View>
          )}
          {channels.length === 0 && <View className='muted'>请在微信或支付宝小程序里下单支付</View>}
          {fromStored > 0 && restFen === 0 && (
            <Button id='pay-stored-value' type='primary' style={{ marginTop: '12px' }} loading={busy} disabled={busy || undefined} onClick={() => void checkout('stored_value')}>
              储值支付 {formatFen(fromStored)}
            </Button>
          )}
          {!(fromStored > 0 && restFen === 0) && channels.map((channel) => (
            <Button key={channel} id={`pay-${channel}`} className={`pay-${channel}`} type='primary' style={{ marginTop: '12px' }} loading={busy} disabled={busy || undefined} onClick={() => void checkout(channel)}>
              {channels.length > 1 ? channelLabels[channel] : '去支付'}
            </Button>
          ))}
        </View>
      )}
    </View>
  );
}

/**
 * The cart priced now, with what /api/me says of the member at this moment:
 * their level (for its discount) and their stored-value balance.
 */
async function priceNow(cart: Cart, storeId: string, coupon: Picked): Promise<{ priced: ShopPricing; storedValueFen: number | null }> {
  const productIds = [...new Set(cart.lines.map((l) => l.productId))];
  const [me, context, ...found] = await Promise.all([
    call('me', { quiet: true }),
    call('pricingContext', { params: { storeId }, quiet: true }),
    ...productIds.map((productId) => call('publicProduct', { params: { code: cart.storeCode, productId }, quiet: true }).then((r) => r.product).catch(() => null)),
  ]);
  const products = new Map<string, ProductSummary>();
  for (const p of found) if (p) products.set(p.id, p);
  if (me.kind !== 'member') return { priced: { ok: false, message: '请以顾客身份登录后结算' }, storedValueFen: null };
  return { priced: priceShopCart(cart, products, context, me.member, coupon?.storeId === storeId ? coupon.rule : undefined), storedValueFen: me.storedValueFen };
}

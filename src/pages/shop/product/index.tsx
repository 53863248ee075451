import { Button, Image, Text, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useMemo, useState } from 'react';
import type { ProductSummary } from '../../../../shared/api/catalog';
import { formatFen } from '../../../../shared/money';
import { call } from '../../../services/shop-api';
import { addLine } from '../../../services/cart-store';
import { currentStoreCode, rememberStoreFrom } from '../../../services/store-code';
import { rememberedProduct, scanForProduct } from './product-source';
import { choose, chosenSku, clampQty, initialChoice, memberSaving, optionState, qtyMax, specDimensions, specText, stockText, type SpecChoice } from './sku-picker';
import './index.less';

type Loaded = { state: 'loading' } | { state: 'missing' } | { state: 'failed' } | { state: 'ready'; product: ProductSummary };

export default function ProductPage() {
  const [code, setCode] = useState('');
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [choice, setChoice] = useState<SpecChoice>({});
  const [qty, setQty] = useState(1);

  const show = (product: ProductSummary) => {
    setLoaded({ state: 'ready', product });
    setChoice(initialChoice(product.skus));
    setQty(1);
    void Taro.setNavigationBarTitle({ title: product.name });
  };

  useLoad((params: Record<string, string | undefined>) => {
    rememberStoreFrom(params);
    const store = currentStoreCode();
    setCode(store);
    const id = params.id ? decodeURIComponent(params.id) : '';
    const remembered = id ? rememberedProduct(id) : null;
    if (remembered) {
      show(remembered);
      return;
    }
    if (!id) {
      setLoaded({ state: 'missing' });
      return;
    }
    scanForProduct(id, (cursor, limit) => call('publicProducts', { params: { code: store }, query: { cursor, limit } }))
      .then((p) => (p ? show(p) : setLoaded({ state: 'missing' })))
      .catch(() => setLoaded({ state: 'failed' }));
  });

  const product = loaded.state === 'ready' ? loaded.product : null;
  const skus = useMemo(() => product?.skus ?? [], [product]);
  const dims = useMemo(() => specDimensions(skus), [skus]);
  const sku = chosenSku(skus, choice);
  const max = qtyMax(sku);
  const shownQty = clampQty(qty, max);

  const add = () => {
    if (!product || !sku || shownQty <= 0) return;
    // addLine adds one at a time; the cart clamps each line to its own limit.
    for (let i = 0; i < shownQty; i++) {
      addLine(code, { skuId: sku.id, productId: product.id, name: product.name, spec: specText(sku), priceFen: sku.retailPriceFen });
    }
    void Taro.showToast({ title: `已加入购物车 ${shownQty} 件`, icon: 'none' });
  };

  if (loaded.state !== 'ready' || !product) {
    const text = loaded.state === 'missing' ? '没有找到这件商品，可能已下架' : loaded.state === 'failed' ? '加载失败，请返回重试' : '加载中…';
    return (
      <View className='page'>
        <View className='section muted' id='product-status'>{text}</View>
      </View>
    );
  }

  return (
    <View className='page product-page'>
      {product.photoUrl && <Image id='product-photo' className='product-hero' src={product.photoUrl} mode='aspectFit' lazyLoad />}
      <View className='section'>
        <View className='product-title' id='product-name'>{product.name}</View>
        <View className='row product-prices'>
          <View>
            <Text className='price product-price' id='product-price'>{formatFen(sku?.retailPriceFen ?? product.priceFen)}</Text>
            {sku && memberSaving(sku) && (
              <Text className='member-price' id='product-member-price'>
                会员价 {formatFen(sku.memberPriceFen)}
              </Text>
            )}
          </View>
          <Text className='muted' id='product-stock'>{stockText(sku)}</Text>
        </View>
        <View className='muted'>单位：{product.unit}</View>
      </View>

      {dims.length > 0 && (
        <View className='section' id='sku-picker'>
          {dims.map((d) => (
            <View key={d.name} className='spec-dim'>
              <View className='spec-name'>{d.name}</View>
              <View className='spec-values'>
                {d.values.map((v) => {
                  const state = optionState(skus, choice, d.name, v);
                  return (
                    <View
                      key={v}
                      className={`spec-value spec-value--${state}`}
                      data-spec={`${d.name}:${v}`}
                      onClick={() => state !== 'none' && setChoice(choose(skus, choice, d.name, v))}
                    >
                      {v}
                      {state === 'sold_out' ? '（缺货）' : ''}
                    </View>
                  );
                })}
              </View>
            </View>
          ))}
        </View>
      )}

      {/* H5 renders disabled={false} as the attribute "false", which its styles read as disabled. */}
      <View className='section row'>
        <Text>数量</Text>
        <View className='row'>
          <Button size='mini' id='qty-minus' disabled={shownQty <= 1 || undefined} onClick={() => setQty(shownQty - 1)}>
            －
          </Button>
          <Text id='product-qty' className='qty'>{shownQty}</Text>
          <Button size='mini' id='qty-plus' disabled={shownQty >= max || undefined} onClick={() => setQty(shownQty + 1)}>
            ＋
          </Button>
        </View>
      </View>

      <View className='product-actions'>
        <Button id='product-add' className='product-add' type='primary' disabled={!sku || max <= 0 || undefined} onClick={add}>
          {!sku ? '请选择规格' : max <= 0 ? '暂时缺货' : '加入购物车'}
        </Button>
        <Button id='product-go-cart' onClick={() => void Taro.switchTab({ url: '/pages/shop/cart/index' })}>
          去购物车
        </Button>
      </View>
    </View>
  );
}

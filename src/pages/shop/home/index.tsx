import { Text, View } from '@tarojs/components';
import Taro, { useLoad, useReachBottom } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { ProductSummary } from '../../../../shared/api/catalog';
import { ListEnd, ProductRow } from '../../../components/product-row';
import { usePaged } from '../../../hooks/use-paged';
import { call } from '../../../services/shop-api';
import { ensureShopper } from '../../../services/auth';
import { addLine } from '../../../services/cart-store';
import { currentStoreCode, rememberStoreFrom } from '../../../services/store-code';
import { productUrl, rememberProduct } from '../product/product-source';

const page_size = 20;

interface StoreInfo {
  code: string;
  name: string;
  address: string;
  merchantName: string;
}

export default function Home() {
  const [code, setCode] = useState<string | null>(null);
  const [store, setStore] = useState<StoreInfo | null>(null);

  useLoad((params) => {
    // WeChat puts a scanned link in the page's own query too; H5 reads `?store=` from the hash.
    rememberStoreFrom(params);
    setCode(currentStoreCode());
  });

  useEffect(() => {
    if (!code) return;
    call('publicStore', { params: { code } })
      .then((s) => {
        setStore(s);
        void Taro.setNavigationBarTitle({ title: s.name });
      })
      .catch(() => setStore(null));
    void ensureShopper(code);
  }, [code]);

  const products = usePaged<ProductSummary>(code, (cursor) =>
    call('publicProducts', { params: { code: code ?? '' }, query: { cursor, limit: page_size } }),
  );
  useReachBottom(products.more);

  const open = (p: ProductSummary) => {
    if (!code) return;
    rememberProduct(p);
    void Taro.navigateTo({ url: productUrl(p.id, code) });
  };

  const add = (p: ProductSummary) => {
    // The cheapest SKU is what the list price shows; other variants are chosen on the product page.
    if (p.skus.length > 1) {
      open(p);
      return;
    }
    const sku = [...p.skus].sort((a, b) => a.retailPriceFen - b.retailPriceFen)[0];
    if (!code || !sku) return;
    addLine(code, { skuId: sku.id, productId: p.id, name: p.name, spec: Object.values(sku.spec).join(' '), priceFen: sku.retailPriceFen });
    void Taro.showToast({ title: '已加入购物车', icon: 'none' });
  };

  return (
    <View className='page'>
      <View className='section' id='store-card'>
        <View className='section-title' id='store-name'>{store?.name ?? code ?? ''}</View>
        {store && (
          <View className='muted'>
            {store.merchantName} · {store.address}
          </View>
        )}
      </View>
      <View className='section'>
        <View className='section-title'>全部商品</View>
        {products.items.map((p) => (
          <View key={p.id} className='product-link' onClick={() => open(p)}>
            <ProductRow
              product={p}
              className='shop-product'
              action={
                <View
                  className='add-button'
                  onClick={(e) => {
                    e.stopPropagation();
                    add(p);
                  }}
                >
                  <Text>{p.skus.length > 1 ? '选规格' : '加入'}</Text>
                </View>
              }
            />
          </View>
        ))}
        <ListEnd loading={products.loading} done={products.done} failed={products.failed} empty={products.items.length === 0} onMore={products.more} />
      </View>
    </View>
  );
}

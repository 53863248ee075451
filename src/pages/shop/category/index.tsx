import { ScrollView, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { Category, ProductSummary } from '../../../../shared/api/catalog';
import { ListEnd, ProductRow } from '../../../components/product-row';
import { usePaged } from '../../../hooks/use-paged';
import { call } from '../../../services/shop-api';
import { currentStoreCode } from '../../../services/store-code';
import { productUrl, rememberProduct } from '../product/product-source';
import './index.less';

const page_size = 20;

export default function CategoryPage() {
  const [code, setCode] = useState<string | null>(null);
  const [categories, setCategories] = useState<Category[]>([]);
  const [chosen, setChosen] = useState<string | null>(null);

  useLoad(() => setCode(currentStoreCode()));

  useEffect(() => {
    if (!code) return;
    call('publicCategories', { params: { code } })
      // In tree order from the server: each top-level category, then its children.
      .then(({ items }) => {
        setCategories(items);
        setChosen((current) => current ?? items[0]?.id ?? null);
      })
      .catch(() => setCategories([]));
  }, [code]);

  const products = usePaged<ProductSummary>(code && chosen ? `${code}/${chosen}` : null, (cursor) =>
    call('publicProducts', { params: { code: code ?? '' }, query: { categoryId: chosen ?? undefined, cursor, limit: page_size } }),
  );

  return (
    <View className='category-page'>
      <ScrollView className='category-side' scrollY>
        {categories.map((c) => (
          <View
            key={c.id}
            id={`category-${c.id}`}
            className={`category-item ${c.parentId ? 'category-item--child' : ''} ${c.id === chosen ? 'category-item--active' : ''}`}
            onClick={() => setChosen(c.id)}
          >
            {c.name}
          </View>
        ))}
      </ScrollView>
      <ScrollView className='category-main' scrollY lowerThreshold={80} onScrollToLower={products.more}>
        {products.items.map((p) => (
          <View
            key={p.id}
            className='product-link'
            onClick={() => {
              if (!code) return;
              rememberProduct(p);
              void Taro.navigateTo({ url: productUrl(p.id, code) });
            }}
          >
            <ProductRow product={p} className='category-product' />
          </View>
        ))}
        {chosen && (
          <ListEnd loading={products.loading} done={products.done} failed={products.failed} empty={products.items.length === 0} onMore={products.more} />
        )}
      </ScrollView>
    </View>
  );
}

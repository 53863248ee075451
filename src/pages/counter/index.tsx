import { Input, Picker, Text, View } from '@tarojs/components';
import Taro, { useDidShow, useReachBottom } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { ProductSummary } from '../../../shared/api/catalog';
import { search_query_length_max } from '../../../shared/api/common';
import type { StoreSummary } from '../../../shared/api/identity';
import { ListEnd, ProductRow } from '../../components/product-row';
import { usePaged } from '../../hooks/use-paged';
import { call, sign_in_page } from '../../services/api';
import { roleNames } from '../../services/roles';
import { getSession } from '../../services/session';
import './index.less';

const page_size = 30;
const search_debounce_ms = 300;

interface Profile {
  name: string;
  role: keyof typeof roleNames;
  merchant: string;
  stores: StoreSummary[];
}

export default function Counter() {
  const [profile, setProfile] = useState<Profile | null>(null);
  const [storeIndex, setStoreIndex] = useState(0);
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');

  useDidShow(() => {
    if (!getSession('staff')) {
      void Taro.redirectTo({ url: `${sign_in_page}?redirect=${encodeURIComponent('/pages/counter/index')}` });
      return;
    }
    // Ask the server rather than trust the stored copy: a role or store may have changed since sign-in.
    call('me')
      .then((me) => {
        if (me.kind !== 'staff') return;
        setProfile({ name: me.staff.name, role: me.staff.role, merchant: me.merchant.name, stores: me.stores });
      })
      .catch(() => undefined);
  });

  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), search_debounce_ms);
    return () => clearTimeout(timer);
  }, [typed]);

  const store = profile?.stores[storeIndex] ?? profile?.stores[0] ?? null;
  const products = usePaged<ProductSummary>(store ? `${store.id}?${q}` : null, (cursor) =>
    call('storeProducts', { params: { storeId: store?.id ?? '' }, query: { q, cursor, limit: page_size } }),
  );
  useReachBottom(products.more);

  return (
    <View className='page'>
      <View className='section counter-header'>
        <View className='row'>
          <Text id='counter-staff' className='section-title'>
            {profile ? `${profile.name} · ${roleNames[profile.role]}` : ''}
          </Text>
          <Text className='muted'>{profile?.merchant ?? ''}</Text>
        </View>
        {profile && profile.stores.length > 1 ? (
          <Picker mode='selector' range={profile.stores.map((s) => s.name)} value={storeIndex} onChange={(e) => setStoreIndex(Number(e.detail.value))}>
            <View id='counter-store' className='muted'>
              {store?.name} ▾
            </View>
          </Picker>
        ) : (
          <View id='counter-store' className='muted'>
            {store ? `${store.name} · ${store.address}` : profile ? '没有可用的门店' : ''}
          </View>
        )}
      </View>
      <View className='section'>
        <Input
          id='product-search'
          className='counter-search'
          placeholder='搜索商品名称或条码'
          maxlength={search_query_length_max}
          value={typed}
          onInput={(e) => setTyped(e.detail.value)}
        />
        {products.items.map((p) => (
          <ProductRow
            key={p.id}
            product={p}
            className='product-item'
            detail={`库存 ${p.skus.reduce((sum, s) => sum + s.available, 0)} ${p.unit} · ${p.skus[0]?.barcode ?? ''}`}
          />
        ))}
        {store && (
          <ListEnd loading={products.loading} done={products.done} failed={products.failed} empty={products.items.length === 0} onMore={products.more} />
        )}
      </View>
    </View>
  );
}

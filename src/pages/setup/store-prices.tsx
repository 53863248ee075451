import { Button, Input, Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import type { ProductSummary } from '../../../shared/api/catalog';
import type { StorePriceView } from '../../../shared/api/store-prices';
import type { StaffSession } from '../../../shared/api/identity';
import { formatFen, fenToYuan, yuanToFen } from '../../../shared/money';
import { specLabel } from '../../../shared/spec-matrix';
import { call } from '../../services/api';
import { formErrors, setup_pages, staffOrSignIn, type FieldErrors } from './form';
import './setup.less';

interface Picked {
  skuId: string;
  label: string;
  retailPriceFen: number;
  memberPriceFen: number;
}

/** What was typed as yuan, in fen: undefined when blank, NaN when not an amount. */
function fenOf(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  try {
    return yuanToFen(text);
  } catch {
    return Number.NaN;
  }
}

/**
 * 门店价格: a store's own retail and member price of a SKU, which its
 * counter and its shop sell at instead of the merchant price. A manager
 * prices the stores they work in; removing a price returns the store to the
 * merchant price.
 */
export default function StorePrices() {
  const [stores, setStores] = useState<StaffSession['stores']>([]);
  const [storeId, setStoreId] = useState('');
  const [overrides, setOverrides] = useState<StorePriceView[] | null>(null);
  const [q, setQ] = useState('');
  const [found, setFound] = useState<ProductSummary[]>([]);
  const [picked, setPicked] = useState<Picked | null>(null);
  const [retail, setRetail] = useState('');
  const [member, setMember] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});

  const loadOverrides = (id: string) => {
    void call('storePrices', { params: { storeId: id } })
      .then((r) => setOverrides(r.items))
      .catch(() => setOverrides([]));
  };

  useDidShow(() => {
    const staff = staffOrSignIn(setup_pages.storePrices);
    if (!staff) return;
    setStores(staff.stores);
    const first = storeId || staff.stores[0]?.id || '';
    setStoreId(first);
    if (first) loadOverrides(first);
  });

  const chooseStore = (id: string) => {
    setStoreId(id);
    setPicked(null);
    setFound([]);
    loadOverrides(id);
  };

  const search = async () => {
    if (!storeId || q.trim() === '') return;
    const r = await call('storeProducts', { params: { storeId }, query: { q: q.trim(), limit: 20 } }).catch(() => null);
    setFound(r?.items ?? []);
  };

  const pick = (p: Picked) => {
    setErrors({});
    setPicked(p);
    setRetail(fenToYuan(p.retailPriceFen));
    setMember(fenToYuan(p.memberPriceFen));
  };

  const save = async () => {
    if (!picked) return;
    setErrors({});
    const retailFen = fenOf(retail);
    const memberFen = fenOf(member);
    if (retailFen === undefined || Number.isNaN(retailFen) || Number.isNaN(memberFen)) {
      setErrors({
        ...(retailFen === undefined || Number.isNaN(retailFen) ? { retailPriceFen: '请填写零售价，单位元，最多两位小数' } : {}),
        ...(Number.isNaN(memberFen) ? { memberPriceFen: '会员价应为金额，单位元，最多两位小数' } : {}),
      });
      return;
    }
    try {
      await call('setStorePrice', {
        params: { storeId, skuId: picked.skuId },
        body: { retailPriceFen: retailFen, ...(memberFen === undefined ? {} : { memberPriceFen: memberFen }) },
        quiet: true,
      });
      setPicked(null);
      loadOverrides(storeId);
      // The search list shows the store's selling prices: read it again so it shows the price just set.
      void search();
    } catch (error) {
      setErrors(formErrors(error));
    }
  };

  const remove = async (skuId: string) => {
    await call('removeStorePrice', { params: { storeId, skuId } }).catch(() => null);
    setPicked(null);
    loadOverrides(storeId);
    void search();
  };

  return (
    <View className='page'>
      <View className='section' id='price-stores'>
        <View className='section-title'>门店</View>
        {stores.map((s) => (
          <Text key={s.id} id={`price-store-${s.code}`} className={`chip ${s.id === storeId ? 'chip--on' : ''}`} onClick={() => chooseStore(s.id)}>
            {s.name}
          </Text>
        ))}
      </View>
      <View className='section' id='price-overrides'>
        <View className='section-title'>本店价格（不同于总部价）</View>
        {!overrides && <View className='muted'>加载中…</View>}
        {overrides?.length === 0 && <View className='muted'>本店全部按总部价销售</View>}
        {overrides?.map((o) => (
          <View key={o.skuId} className='s-row' data-sku-id={o.skuId}>
            <View className='row'>
              <Text>
                {o.productName} {o.spec}
              </Text>
              <Text>{formatFen(o.retailPriceFen)}</Text>
            </View>
            <View className='muted'>
              会员价 {formatFen(o.memberPriceFen)} · 总部价 {formatFen(o.merchantRetailPriceFen)} / {formatFen(o.merchantMemberPriceFen)}
            </View>
            <Text className='link' onClick={() => pick({ skuId: o.skuId, label: `${o.productName} ${o.spec}`, retailPriceFen: o.retailPriceFen, memberPriceFen: o.memberPriceFen })}>
              修改 ›
            </Text>
            <Text className='link' id={`price-remove-${o.skuId}`} onClick={() => void remove(o.skuId)}>
              {' '}恢复总部价
            </Text>
          </View>
        ))}
      </View>
      <View className='section'>
        <View className='section-title'>查找商品</View>
        <Input id='price-search' className='s-input' placeholder='名称、拼音首字母或条码' value={q} onInput={(e) => setQ(e.detail.value)} onConfirm={() => void search()} />
        <Button id='price-search-go' onClick={() => void search()}>搜索</Button>
        {found.flatMap((p) =>
          p.skus.map((s) => (
            <View
              key={s.id}
              className='s-row'
              data-barcode={s.barcode}
              onClick={() => pick({ skuId: s.id, label: `${p.name} ${specLabel(s.spec)}`, retailPriceFen: s.retailPriceFen, memberPriceFen: s.memberPriceFen })}
            >
              <View className='row'>
                <Text>
                  {p.name} {specLabel(s.spec)}
                </Text>
                <Text>{formatFen(s.retailPriceFen)}</Text>
              </View>
              <View className='muted'>
                {s.barcode} · 会员价 {formatFen(s.memberPriceFen)}
              </View>
            </View>
          )),
        )}
      </View>
      {picked && (
        <View className='section' id='price-form'>
          <View className='section-title'>{picked.label}</View>
          <View className='s-label'>本店零售价（元）</View>
          <Input id='price-retail' className='s-input' type='digit' value={retail} onInput={(e) => setRetail(e.detail.value)} />
          {errors.retailPriceFen && <View className='field-error'>{errors.retailPriceFen}</View>}
          <View className='s-label'>本店会员价（元，留空则沿用总部会员价，不高于零售价）</View>
          <Input id='price-member' className='s-input' type='digit' value={member} onInput={(e) => setMember(e.detail.value)} />
          {errors.memberPriceFen && <View className='field-error'>{errors.memberPriceFen}</View>}
          <Button id='price-save' type='primary' onClick={() => void save()}>保存本店价格</Button>
          <Button onClick={() => setPicked(null)}>取消</Button>
        </View>
      )}
    </View>
  );
}

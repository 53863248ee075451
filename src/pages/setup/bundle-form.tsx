import { Button, Input, Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { ProductSummary } from '../../../shared/api/catalog';
import { bundlePromotion, promotion_name_length_max, type PromotionRequest } from '../../../shared/api/promotions';
import type { StoreDetail } from '../../../shared/api/staff-admin';
import { formatFen } from '../../../shared/money';
import { specLabel } from '../../../shared/spec-matrix';
import { call } from '../../services/api';
import { fenOfField, type FieldErrors } from './form';
import { blank_window, PromotionWindowFields, savePromotion, windowBody, type PromotionWindow } from './promotion-window';

interface Item {
  skuId: string;
  label: string;
  retailPriceFen: number;
  qty: string;
}

interface Props {
  stores: readonly StoreDetail[];
  /** The store whose catalog the SKUs are searched in. */
  searchStoreId: string;
  onSaved: () => void;
  onCancel: () => void;
}

/**
 * 新建组合套餐: SKUs found by name, pinyin or barcode, each with a quantity,
 * sold together for one price, in every store or one, between two dates.
 * Checked by the shared schema and the pricing engine's rule check before
 * sending, and the server's reasons are shown next to their fields.
 */
export function BundleForm({ stores, searchStoreId, onSaved, onCancel }: Props) {
  const [name, setName] = useState('');
  const [items, setItems] = useState<Item[]>([]);
  const [priceYuan, setPriceYuan] = useState('');
  const [window, setWindow] = useState<PromotionWindow>(blank_window);
  const [q, setQ] = useState('');
  const [found, setFound] = useState<ProductSummary[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});

  const search = (text: string) => {
    setQ(text);
    if (text.trim() === '' || !searchStoreId) return setFound([]);
    void call('storeProducts', { params: { storeId: searchStoreId }, query: { q: text.trim(), limit: 10 } })
      .then((r) => setFound(r.items))
      .catch(() => setFound([]));
  };

  const pick = (p: ProductSummary, s: ProductSummary['skus'][number]) => {
    setItems((list) => (list.some((i) => i.skuId === s.id) ? list : [...list, { skuId: s.id, label: `${p.name}${specLabel(s.spec) ? ` ${specLabel(s.spec)}` : ''}`, retailPriceFen: s.retailPriceFen, qty: '1' }]));
  };

  const listFen = items.reduce((sum, i) => sum + i.retailPriceFen * (Number(i.qty) || 0), 0);

  const save = async () => {
    setErrors({});
    const body: PromotionRequest = {
      kind: 'bundle',
      name,
      items: items.map((i) => ({ skuId: i.skuId, qty: Number(i.qty) })),
      priceFen: fenOfField(priceYuan),
      ...windowBody(window, stores),
    };
    // The schema's own words for a missing number are not the owner's: say what to type.
    if (Number.isNaN(body.priceFen)) return setErrors({ priceFen: '套餐价应是金额，例如 50 或 49.90' });
    if (body.items.some((i) => !Number.isInteger(i.qty))) return setErrors({ items: '每种商品的数量应是整数，例如 1 或 2' });
    await savePromotion(body, bundlePromotion, setErrors, onSaved);
  };

  const err = (path: string) => errors[path] && <View className='field-error'>{errors[path]}</View>;
  const itemErrors = Object.entries(errors).filter(([p]) => p.startsWith('items'));

  return (
    <View className='section' id='bundle-form'>
      <View className='section-title'>新建组合套餐</View>
      <View className='s-label'>套餐名称</View>
      <Input id='bundle-name' className='s-input' maxlength={promotion_name_length_max} value={name} onInput={(e) => setName(e.detail.value)} />
      {err('name')}
      <View className='s-label'>套餐商品（2 到 10 种，搜索后点规格加入）</View>
      {items.map((i, k) => (
        <View key={i.skuId} className='row bundle-item' data-sku-id={i.skuId}>
          <Text className='grow'>
            {i.label} · {formatFen(i.retailPriceFen)}
          </Text>
          <Input className='s-input bundle-qty' type='number' value={i.qty} onInput={(e) => setItems((list) => list.map((x, j) => (j === k ? { ...x, qty: e.detail.value } : x)))} />
          <Text className='link bundle-remove' onClick={() => setItems((list) => list.filter((_, j) => j !== k))}>
            移除
          </Text>
        </View>
      ))}
      {itemErrors.map(([p, m]) => (
        <View key={p} className='field-error bundle-items-error'>
          {m}
        </View>
      ))}
      <Input id='bundle-search' className='s-input' placeholder='搜索商品名称、拼音首字母或条码' value={q} onInput={(e) => search(e.detail.value)} />
      {found.map((p) =>
        p.skus.map((s) => (
          <View key={s.id} className='row s-row bundle-found' onClick={() => pick(p, s)}>
            <Text className='grow'>
              {p.name} {specLabel(s.spec)}
            </Text>
            <Text>{formatFen(s.retailPriceFen)}</Text>
          </View>
        )),
      )}
      <View className='s-label'>套餐价（元）{items.length > 0 ? `，单买合计 ${formatFen(listFen)}` : ''}</View>
      <Input id='bundle-price' className='s-input' type='digit' value={priceYuan} onInput={(e) => setPriceYuan(e.detail.value)} />
      {err('priceFen')}
      <PromotionWindowFields idPrefix='bundle' stores={stores} value={window} onChange={setWindow} errors={errors} />
      {err('')}
      <Button id='bundle-save' type='primary' onClick={() => void save()}>
        保存套餐
      </Button>
      <Button onClick={onCancel}>取消</Button>
    </View>
  );
}

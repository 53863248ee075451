import { Button, Input, View } from '@tarojs/components';
import { useState } from 'react';
import { discountPromotion, promotion_name_length_max, type PromotionRequest } from '../../../shared/api/promotions';
import type { StoreDetail } from '../../../shared/api/staff-admin';
import type { AdminCategory } from '../../../shared/api/products';
import { bpOffOf, type FieldErrors } from './form';
import { CategoryChoice, scopeText } from './category-choice';
import { blank_window, PromotionWindowFields, savePromotion, windowBody, type PromotionWindow } from './promotion-window';

interface Props {
  stores: readonly StoreDetail[];
  categories: readonly AdminCategory[];
  onSaved: () => void;
  onCancel: () => void;
}

/** "8.5 折，限 服装" for the list line of a 限时折扣. */
export function discountText(definition: Record<string, unknown>, categories: readonly AdminCategory[]): string {
  const zhe = (10_000 - Number(definition.offBp)) / 1000;
  return `${zhe} 折${scopeText((definition.scope as { categoryIds?: string[] } | undefined)?.categoryIds, categories)}`;
}

/**
 * 新建限时折扣: a name, the 折扣 as the owner says it ("8.5" is 八五折),
 * the categories it covers (none is every product; a parent covers its
 * children), every store or one, and dates. Checked by the shared schema and
 * the engine's rule check before sending; the server's reasons are shown
 * next to their fields.
 */
export function DiscountForm({ stores, categories, onSaved, onCancel }: Props) {
  const [name, setName] = useState('');
  const [zhe, setZhe] = useState('');
  const [categoryIds, setCategoryIds] = useState<string[]>([]);
  const [window, setWindow] = useState<PromotionWindow>(blank_window);
  const [errors, setErrors] = useState<FieldErrors>({});

  const save = async () => {
    setErrors({});
    // An empty field would read as 0 折; say what to type instead.
    if (zhe.trim() === '' || Number.isNaN(bpOffOf(zhe))) return setErrors({ offBp: '折扣应是 1 到 9.9 之间的数，例如 8 或 8.5' });
    const body: PromotionRequest = {
      kind: 'discount',
      name,
      offBp: bpOffOf(zhe),
      ...(categoryIds.length > 0 ? { scope: { categoryIds } } : {}),
      ...windowBody(window, stores),
    };
    await savePromotion(body, discountPromotion, setErrors, onSaved);
  };

  const err = (path: string) => errors[path] && <View className='field-error'>{errors[path]}</View>;

  return (
    <View className='section' id='discount-form'>
      <View className='section-title'>新建限时折扣</View>
      <View className='s-label'>活动名称</View>
      <Input id='discount-name' className='s-input' maxlength={promotion_name_length_max} value={name} onInput={(e) => setName(e.detail.value)} />
      {err('name')}
      <View className='s-label'>折扣（如 8.5 即八五折）</View>
      <Input id='discount-zhe' className='s-input' type='digit' maxlength={5} value={zhe} onInput={(e) => setZhe(e.detail.value)} />
      {err('offBp')}
      <CategoryChoice id='discount-categories' categories={categories} chosen={categoryIds} onChange={setCategoryIds} errors={errors} errorPrefix='scope' />
      <PromotionWindowFields idPrefix='discount' stores={stores} value={window} onChange={setWindow} errors={errors} />
      <Button id='discount-save' type='primary' onClick={() => void save()}>
        保存折扣
      </Button>
      <Button onClick={onCancel}>取消</Button>
    </View>
  );
}

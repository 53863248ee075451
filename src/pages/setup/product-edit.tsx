import { Button, Input, Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import type { AdminCategory, ProductDetail } from '../../../shared/api/products';
import { addSkusRequest, updateProductRequest } from '../../../shared/api/products';
import { formatFen } from '../../../shared/money';
import { specLabel, specMatrix } from '../../../shared/spec-matrix';
import { call } from '../../services/api';
import { fenOfField, fieldErrorsOf, schemaErrors, type FieldErrors } from './form';
import { SkuEditForm } from './sku-edit';

/** The label of a category in a flat list: a child under its parent's name (服装 › T恤). */
export function categoryLabel(c: AdminCategory, all: readonly AdminCategory[]): string {
  const parent = c.parentId ? all.find((p) => p.id === c.parentId) : undefined;
  return `${parent ? `${parent.name} › ` : ''}${c.name}${c.hidden ? '（已隐藏）' : ''}`;
}

/** Splits what the owner typed (红,蓝 or 红 蓝 or 红、蓝) into values. */
function valuesOf(text: string): string[] {
  return text.split(/[,，、\s]+/).filter((v) => v !== '');
}

interface Props {
  productId: string;
  categories: readonly AdminCategory[];
  /** The store new SKUs' opening stock goes into. */
  storeId: string;
  onChanged: () => void;
}

/**
 * 编辑商品: name, category, unit and whether it is sold; each SKU stopped or
 * started; a new value of a spec item (a new colour) adds its SKUs, with
 * optional opening stock. A SKU's spec never changes, since sales and stock
 * refer to it. Checked by the same schemas as the server, and the server's
 * reasons shown next to their fields.
 */
export function ProductEditPanel({ productId, categories, storeId, onChanged }: Props) {
  const [detail, setDetail] = useState<ProductDetail | null>(null);
  const [form, setForm] = useState({ name: '', unit: '', categoryId: '' });
  const [axis, setAxis] = useState('');
  const [added, setAdded] = useState({ values: '', price: '', cost: '', qty: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saved, setSaved] = useState('');
  /** The SKU whose barcode and prices are being changed. */
  const [skuEditing, setSkuEditing] = useState<string | null>(null);

  const show = (d: ProductDetail) => {
    setDetail(d);
    setForm({ name: d.product.name, unit: d.product.unit, categoryId: d.product.categoryId });
    setAxis((a) => a || Object.keys(d.skus[0]?.spec ?? {})[0] || '');
  };
  useEffect(() => {
    void call('product', { params: { productId } })
      .then(show)
      .catch((e: unknown) => setErrors({ '': e instanceof Error ? e.message : String(e) }));
  }, [productId]);

  const attempt = async (change: () => Promise<ProductDetail | void>, message: string) => {
    setErrors({});
    setSaved('');
    try {
      const d = await change();
      if (d) show(d);
      setSaved(message);
      onChanged();
    } catch (error) {
      const fields = fieldErrorsOf(error);
      setErrors(Object.keys(fields).length > 0 ? fields : { '': error instanceof Error ? error.message : String(error) });
    }
  };

  if (!detail) return <View className='muted'>{errors[''] ?? '加载中…'}</View>;
  const axes = Object.keys(detail.skus[0]?.spec ?? {});
  // The new values of one item crossed with every value the other items already have.
  const newSpecs =
    axis === ''
      ? []
      : specMatrix(axes.map((name) => ({ name, values: name === axis ? valuesOf(added.values) : [...new Set(detail.skus.map((s) => s.spec[name] ?? ''))] })));

  const save = () => {
    const body = { name: form.name.trim(), unit: form.unit.trim(), categoryId: form.categoryId };
    const checked = updateProductRequest.safeParse(body);
    if (!checked.success) return setErrors(schemaErrors(checked.error.issues));
    void attempt(() => call('updateProduct', { quiet: true, params: { productId }, body: checked.data }), '已保存');
  };

  const addValues = () => {
    const qty = added.qty.trim() === '' ? undefined : Number(added.qty);
    const body = {
      skus: newSpecs.map((spec) => ({ spec, retailPriceFen: fenOfField(added.price), costFen: fenOfField(added.cost), ...(qty !== undefined ? { openingQty: qty } : {}) })),
      ...(qty ? { openingStoreId: storeId } : {}),
    };
    // The schema's own words for a missing number are not the owner's: say what to type.
    if (Number.isNaN(fenOfField(added.price)) || Number.isNaN(fenOfField(added.cost))) return setErrors({ skus: '零售价和进价应是金额，例如 69 或 69.90' });
    if (qty !== undefined && !Number.isInteger(qty)) return setErrors({ skus: '期初库存应是整数，例如 5' });
    const checked = addSkusRequest.safeParse(body);
    if (!checked.success) return setErrors(schemaErrors(checked.error.issues));
    void attempt(async () => {
      const d = await call('addSkus', { quiet: true, params: { productId }, body: checked.data });
      setAdded({ values: '', price: '', cost: '', qty: '' });
      return d;
    }, `已添加 ${newSpecs.length} 个规格`);
  };

  const setSkuActive = (skuId: string, active: boolean) =>
    void attempt(async () => {
      await call('updateSku', { quiet: true, params: { skuId }, body: { active } });
      return call('product', { params: { productId } });
    }, active ? '已启用' : '已停售');

  const err = (path: string) => errors[path] && <View className='field-error'>{errors[path]}</View>;
  const other = Object.entries(errors).filter(([p]) => !['name', 'unit', 'categoryId', 'skus', '', 'openingStoreId'].includes(p) && !p.startsWith('skus.'));

  return (
    <View className='product-edit'>
      <View className='s-label'>商品名称</View>
      <Input className='s-input edit-name' value={form.name} onInput={(e) => setForm((f) => ({ ...f, name: e.detail.value }))} />
      {err('name')}
      <View className='s-label'>单位</View>
      <Input className='s-input edit-unit' value={form.unit} onInput={(e) => setForm((f) => ({ ...f, unit: e.detail.value }))} />
      {err('unit')}
      <View className='s-label'>分类</View>
      <View>
        {categories.map((c) => (
          <Text key={c.id} className={`chip edit-category ${c.id === form.categoryId ? 'chip--on' : ''}`} onClick={() => setForm((f) => ({ ...f, categoryId: c.id }))}>
            {categoryLabel(c, categories)}
          </Text>
        ))}
      </View>
      {err('categoryId')}
      <View className='row'>
        <Button className='edit-save' size='mini' type='primary' onClick={save}>
          保存
        </Button>
        <Button className='edit-active' size='mini' onClick={() => void attempt(() => call('updateProduct', { quiet: true, params: { productId }, body: { active: !detail.product.active } }), detail.product.active ? '已停售' : '已恢复销售')}>
          {detail.product.active ? '整个商品停售' : '恢复销售'}
        </Button>
      </View>

      <View className='s-label'>规格（规格值不能改，只能停售或启用；点“改”换条码、改价格）</View>
      {detail.skus.map((s) => (
        <View key={s.id}>
          <View className='row sku-line' data-sku-id={s.id}>
            <Text className={`grow ${s.active ? '' : 'muted'}`}>
              {specLabel(s.spec) || '单规格'} · {s.barcode} · {formatFen(s.retailPriceFen)}
              {s.memberPriceFen < s.retailPriceFen ? ` · 会员 ${formatFen(s.memberPriceFen)}` : ''}
              {s.active ? '' : '（已停售）'}
            </Text>
            <Text className='link sku-edit-open' onClick={() => setSkuEditing(skuEditing === s.id ? null : s.id)}>
              改
            </Text>
            <Text className='link sku-toggle' style={{ marginLeft: '12px' }} onClick={() => setSkuActive(s.id, !s.active)}>
              {s.active ? '停售' : '启用'}
            </Text>
          </View>
          {skuEditing === s.id && (
            <SkuEditForm
              sku={s}
              onCancel={() => setSkuEditing(null)}
              onSaved={() => {
                setSkuEditing(null);
                void attempt(() => call('product', { params: { productId } }), '规格已保存');
              }}
            />
          )}
        </View>
      ))}

      {axes.length > 0 && (
        <View className='add-spec'>
          <View className='s-label'>加新规格值（例如新颜色），生成新的 SKU</View>
          <View>
            {axes.map((a) => (
              <Text key={a} className={`chip axis-choice ${a === axis ? 'chip--on' : ''}`} onClick={() => setAxis(a)}>
                {a}
              </Text>
            ))}
          </View>
          <Input className='s-input add-values' placeholder={`新的${axis}，例如：黑,灰`} value={added.values} onInput={(e) => setAdded((v) => ({ ...v, values: e.detail.value }))} />
          <View className='row'>
            <Input className='s-input grow add-price' placeholder='零售价（元）' value={added.price} onInput={(e) => setAdded((v) => ({ ...v, price: e.detail.value }))} />
            <Input className='s-input grow add-cost' placeholder='进价（元）' value={added.cost} onInput={(e) => setAdded((v) => ({ ...v, cost: e.detail.value }))} />
            <Input className='s-input grow add-qty' placeholder='期初库存' value={added.qty} onInput={(e) => setAdded((v) => ({ ...v, qty: e.detail.value }))} />
          </View>
          <View className='muted'>将生成：{newSpecs.map((s) => specLabel(s)).join('；') || '—'}</View>
          {Object.entries(errors)
            .filter(([p]) => p === 'skus' || p.startsWith('skus.') || p === 'openingStoreId')
            .map(([p, m]) => (
              <View key={p} className='field-error add-error'>
                {m}
              </View>
            ))}
          <Button className='add-skus' size='mini' disabled={newSpecs.length === 0} onClick={addValues}>
            添加规格
          </Button>
        </View>
      )}
      {errors[''] && <View className='field-error edit-error'>{errors['']}</View>}
      {other.map(([p, m]) => (
        <View key={p} className='field-error'>
          {p}：{m}
        </View>
      ))}
      {saved && <View className='done edit-saved'>{saved}</View>}
    </View>
  );
}

import { Button, Input, Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import type { ProductSummary } from '../../../shared/api/catalog';
import type { StaffSession } from '../../../shared/api/identity';
import type { ResponseOf } from '../../../shared/api/routes';
import type { PriceChangeRequest, PriceChangeResponse } from '../../../shared/api/store-prices';
import { bulk_price_warning_labels, type PriceField } from '../../../shared/pricing/bulk-price';
import { newId } from '../../../shared/ids';
import { formatFen, yuanToFen } from '../../../shared/money';
import { specLabel } from '../../../shared/spec-matrix';
import { call } from '../../services/api';
import { formErrors, setup_pages, staffOrSignIn, type FieldErrors } from './form';
import './setup.less';

type Category = ResponseOf<'publicCategories'>['items'][number];

/** "5" or "-2.5" percent as basis points, exact to 0.01%; NaN when not a number. */
function bpOf(text: string): number {
  const m = /^(-)?(\d{1,4})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return Number.NaN;
  const bp = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -bp : bp;
}

function fenOf(text: string): number {
  try {
    return yuanToFen(text);
  } catch {
    return Number.NaN;
  }
}

/**
 * 批量调价 (owner): a category or chosen SKUs, up or down by a percentage
 * or an amount, on retail and/or member price, for the whole merchant or as
 * one store's prices. The preview is the server's answer from the same
 * shared arithmetic (shared/pricing/bulk-price.ts) the change is applied
 * with; applying sends the preview's id, so a second tap changes nothing more.
 */
export default function PriceChanges() {
  const [stores, setStores] = useState<StaffSession['stores']>([]);
  const [storeId, setStoreId] = useState('');
  const [categories, setCategories] = useState<Category[]>([]);
  const [by, setBy] = useState<'category' | 'skus'>('category');
  const [categoryId, setCategoryId] = useState('');
  const [q, setQ] = useState('');
  const [found, setFound] = useState<ProductSummary[]>([]);
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const [kind, setKind] = useState<'percent' | 'amount'>('percent');
  const [value, setValue] = useState('');
  const [fields, setFields] = useState<PriceField[]>(['retail', 'member']);
  const [preview, setPreview] = useState<PriceChangeResponse | null>(null);
  const [request, setRequest] = useState<PriceChangeRequest | null>(null);
  const [done, setDone] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});

  useDidShow(() => {
    const staff = staffOrSignIn(setup_pages.priceChanges);
    const store = staff?.stores[0];
    if (!staff || !store) return;
    setStores(staff.stores);
    void call('publicCategories', { params: { code: store.code } })
      .then((r) => {
        setCategories(r.items);
        setCategoryId((c) => c || (r.items[0]?.id ?? ''));
      })
      .catch(() => setCategories([]));
  });

  const search = async () => {
    const store = stores[0];
    if (!store || q.trim() === '') return;
    const r = await call('storeProducts', { params: { storeId: store.id }, query: { q: q.trim(), limit: 20 } }).catch(() => null);
    setFound(r?.items ?? []);
  };

  const toggleField = (f: PriceField) => setFields((list) => (list.includes(f) ? list.filter((x) => x !== f) : [...list, f]));

  const doPreview = async () => {
    setErrors({});
    setDone(false);
    const change = kind === 'percent' ? { kind, bp: bpOf(value) } : { kind, fen: fenOf(value) };
    if (Number.isNaN(kind === 'percent' ? change.bp : change.fen)) {
      setErrors({ 'change.bp': kind === 'percent' ? '请填写百分比，如 5 或 -2.5' : '请填写金额（元），如 1 或 -0.5', 'change.fen': '请填写金额（元），如 1 或 -0.5' });
      return;
    }
    const body = {
      id: newId('priceChange'),
      ...(storeId ? { storeId } : {}),
      ...(by === 'category' ? { categoryId } : { skuIds: Object.keys(chosen) }),
      change,
      fields,
    } as PriceChangeRequest;
    try {
      setPreview(await call('priceChange', { query: { preview: '1' }, body, quiet: true }));
      setRequest(body);
    } catch (error) {
      setPreview(null);
      setErrors(formErrors(error));
    }
  };

  const apply = async () => {
    if (!request) return;
    try {
      setPreview(await call('priceChange', { body: request, quiet: true }));
      setDone(true);
    } catch (error) {
      setErrors(formErrors(error));
    }
  };

  const fieldError = (...paths: string[]) => {
    const message = paths.map((p) => errors[p]).find(Boolean);
    return message ? <View className='field-error'>{message}</View> : null;
  };

  return (
    <View className='page'>
      <View className='section' id='change-scope'>
        <View className='section-title'>范围</View>
        <Text id='scope-merchant' className={`chip ${storeId === '' ? 'chip--on' : ''}`} onClick={() => setStoreId('')}>
          总部价（所有门店）
        </Text>
        {stores.map((s) => (
          <Text key={s.id} id={`scope-${s.code}`} className={`chip ${s.id === storeId ? 'chip--on' : ''}`} onClick={() => setStoreId(s.id)}>
            仅 {s.name}
          </Text>
        ))}
      </View>
      <View className='section' id='change-what'>
        <View className='section-title'>商品</View>
        <Text id='by-category' className={`chip ${by === 'category' ? 'chip--on' : ''}`} onClick={() => setBy('category')}>
          按分类
        </Text>
        <Text id='by-skus' className={`chip ${by === 'skus' ? 'chip--on' : ''}`} onClick={() => setBy('skus')}>
          选商品
        </Text>
        {by === 'category' && (
          <View>
            {categories.map((c) => (
              <Text key={c.id} className={`chip ${c.id === categoryId ? 'chip--on' : ''}`} onClick={() => setCategoryId(c.id)}>
                {c.name}
              </Text>
            ))}
          </View>
        )}
        {by === 'skus' && (
          <View>
            <Input id='change-search' className='s-input' placeholder='名称、拼音首字母或条码' value={q} onInput={(e) => setQ(e.detail.value)} onConfirm={() => void search()} />
            <Button onClick={() => void search()}>搜索</Button>
            {found.flatMap((p) =>
              p.skus.map((s) => {
                const label = `${p.name} ${specLabel(s.spec)}`;
                const on = s.id in chosen;
                return (
                  <View key={s.id} className='s-row row' onClick={() => setChosen((m) => (on ? Object.fromEntries(Object.entries(m).filter(([k]) => k !== s.id)) : { ...m, [s.id]: label }))}>
                    <Text>
                      {on ? '☑' : '☐'} {label}
                    </Text>
                    <Text>{formatFen(s.retailPriceFen)}</Text>
                  </View>
                );
              }),
            )}
            <View className='muted'>已选 {Object.keys(chosen).length} 个规格</View>
          </View>
        )}
        {fieldError('categoryId', 'skuIds')}
      </View>
      <View className='section' id='change-how'>
        <View className='section-title'>怎么调</View>
        <Text id='kind-percent' className={`chip ${kind === 'percent' ? 'chip--on' : ''}`} onClick={() => setKind('percent')}>
          按百分比
        </Text>
        <Text id='kind-amount' className={`chip ${kind === 'amount' ? 'chip--on' : ''}`} onClick={() => setKind('amount')}>
          按金额
        </Text>
        <View className='s-label'>{kind === 'percent' ? '调整幅度（%，降价填负数；四舍五入到分）' : '调整金额（元，降价填负数）'}</View>
        <Input id='change-value' className='s-input' type='text' value={value} onInput={(e) => setValue(e.detail.value)} />
        {fieldError(kind === 'percent' ? 'change.bp' : 'change.fen', 'change')}
        <View>
          <Text id='field-retail' className={`chip ${fields.includes('retail') ? 'chip--on' : ''}`} onClick={() => toggleField('retail')}>
            零售价
          </Text>
          <Text id='field-member' className={`chip ${fields.includes('member') ? 'chip--on' : ''}`} onClick={() => toggleField('member')}>
            会员价
          </Text>
        </View>
        {fieldError('fields')}
        <Button id='change-preview' onClick={() => void doPreview()}>预览</Button>
      </View>
      {preview && (
        <View className='section' id='change-preview-table'>
          <View className='section-title'>
            {done ? '已调价' : '预览'}（{preview.rows.length} 个规格，{preview.storeId ? '门店价' : '总部价'}）
          </View>
          {preview.rows.map((r) => (
            <View key={r.skuId} className='s-row' data-sku-id={r.skuId}>
              <View>
                {r.productName} {r.spec}
              </View>
              <View className='muted'>
                零售 {formatFen(r.before.retailPriceFen)} → {formatFen(r.after.retailPriceFen)} · 会员 {formatFen(r.before.memberPriceFen)} → {formatFen(r.after.memberPriceFen)} · 成本 {formatFen(r.costFen)}
              </View>
              {r.warnings.length > 0 && <View className='field-error'>{r.warnings.map((w) => bulk_price_warning_labels[w]).join('；')}</View>}
            </View>
          ))}
          {!done && (
            <Button id='change-apply' type='primary' onClick={() => void apply()}>
              应用调价
            </Button>
          )}
        </View>
      )}
    </View>
  );
}

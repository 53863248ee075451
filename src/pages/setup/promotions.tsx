import { Button, Input, Switch, Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { fenToYuan } from '../../../shared/money';
import { promotion_name_length_max, thresholdPromotion, type PromotionRequest } from '../../../shared/api/promotions';
import type { StoreDetail } from '../../../shared/api/staff-admin';
import type { AdminCategory } from '../../../shared/api/products';
import { call, showError } from '../../services/api';
import { fenOfField, setup_pages, staffOrSignIn, type FieldErrors } from './form';
import { BundleForm } from './bundle-form';
import { DiscountForm, discountText } from './discount-form';
import { CategoryChoice, scopeText } from './category-choice';
import { blank_window, PromotionWindowFields, savePromotion, windowBody, type PromotionWindow } from './promotion-window';
import './setup.less';

type Promotion = Awaited<ReturnType<typeof call<'promotions'>>>['items'][number];

interface ThresholdForm {
  name: string;
  minSpendYuan: string;
  offYuan: string;
  repeat: boolean;
  capYuan: string;
  window: PromotionWindow;
  /** The categories whose products count towards 满; none is every product. */
  categoryIds: string[];
}

const blank: ThresholdForm = { name: '', minSpendYuan: '', offYuan: '', repeat: false, capYuan: '', window: blank_window, categoryIds: [] };

function describe(p: Promotion, categories: readonly AdminCategory[]): string {
  const d = p.definition;
  if (p.kind === 'threshold') {
    const base = `${d.repeat ? '每' : ''}满 ${fenToYuan(Number(d.minSpendFen))} 元减 ${fenToYuan(Number(d.offFen))} 元`;
    const capped = d.capFen ? `${base}，最多减 ${fenToYuan(Number(d.capFen))} 元` : base;
    return capped + scopeText((d.scope as { categoryIds?: string[] } | undefined)?.categoryIds, categories);
  }
  if (p.kind === 'discount') return discountText(d, categories);
  const items = Array.isArray(d.items) ? (d.items as { qty: number }[]) : [];
  return `组合套餐 ${items.length} 种共 ${items.reduce((n, i) => n + i.qty, 0)} 件，${fenToYuan(Number(d.priceFen))} 元`;
}

/**
 * 促销活动: the running and ended promotions, a new 满减, 组合套餐 or 限时折扣
 * (every store or one, with dates), and stopping one. The owner sets promotions for every store;
 * a manager for their own stores (the API decides, and says why).
 */
export default function Promotions() {
  const [items, setItems] = useState<Promotion[] | null>(null);
  const [stores, setStores] = useState<StoreDetail[]>([]);
  const [form, setForm] = useState<ThresholdForm | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [bundle, setBundle] = useState(false);
  const [discount, setDiscount] = useState(false);
  const [searchStoreId, setSearchStoreId] = useState('');
  const [categories, setCategories] = useState<AdminCategory[]>([]);

  const load = () => {
    const staff = staffOrSignIn(setup_pages.promotions);
    if (!staff) return;
    setSearchStoreId(staff.stores[0]?.id ?? '');
    call('promotions')
      .then((r) => setItems(r.items))
      .catch((e: unknown) => {
        showError(e);
        setItems([]);
      });
    call('manageStores')
      .then((r) => setStores(r.items.filter((s) => s.active)))
      .catch(() => setStores([]));
    call('categories')
      .then((r) => setCategories(r.items))
      .catch(() => setCategories([]));
  };
  useDidShow(load);

  const set = <K extends keyof ThresholdForm>(key: K, value: ThresholdForm[K]) => setForm((f) => (f ? { ...f, [key]: value } : f));

  const save = async () => {
    if (!form) return;
    setErrors({});
    const body: PromotionRequest = {
      kind: 'threshold',
      name: form.name,
      minSpendFen: fenOfField(form.minSpendYuan),
      offFen: fenOfField(form.offYuan),
      repeat: form.repeat,
      ...(form.repeat && form.capYuan.trim() ? { capFen: fenOfField(form.capYuan) } : {}),
      ...(form.categoryIds.length > 0 ? { scope: { categoryIds: form.categoryIds } } : {}),
      ...windowBody(form.window, stores),
    };
    // The schema's own words for a missing number are not the owner's: say what to type, by the field.
    const notAmounts: FieldErrors = {};
    if (Number.isNaN(body.minSpendFen)) notAmounts.minSpendFen = '满多少应是金额，例如 100';
    if (Number.isNaN(body.offFen)) notAmounts.offFen = '减多少应是金额，例如 10';
    if (body.capFen !== undefined && Number.isNaN(body.capFen)) notAmounts.capFen = '最多减应是金额，例如 50';
    if (Object.keys(notAmounts).length > 0) {
      setErrors(notAmounts);
      return;
    }
    await savePromotion(body, thresholdPromotion, setErrors, () => {
      setForm(null);
      load();
    });
  };

  const stop = async (p: Promotion) => {
    await call('deactivatePromotion', { params: { id: p.id } }).catch(() => null);
    load();
  };

  const input = (key: 'name' | 'minSpendYuan' | 'offYuan' | 'capYuan', label: string, apiKey: string) => (
    <View>
      <View className='s-label'>{label}</View>
      <Input id={`promo-${key}`} className='s-input' type={key === 'name' ? 'text' : 'digit'} maxlength={key === 'name' ? promotion_name_length_max : 12} value={form?.[key] ?? ''} onInput={(e) => set(key, e.detail.value)} />
      {errors[apiKey] && <View className='field-error'>{errors[apiKey]}</View>}
    </View>
  );

  const storeName = (id: string | null) => (id ? (stores.find((s) => s.id === id)?.name ?? '单店') : '全部门店');

  return (
    <View className='page'>
      <View className='section' id='promotion-list'>
        <View className='section-title'>促销</View>
        {!items && <View className='muted'>加载中…</View>}
        {items?.length === 0 && <View className='muted'>还没有促销</View>}
        {items?.map((p) => (
          <View key={p.id} className='s-row' data-promotion={p.name}>
            <View className='row'>
              <Text>
                {p.name}
                {p.active ? '' : '（已停用）'}
              </Text>
              {p.active && (
                <Text className='link' id={`promo-stop-${p.id}`} onClick={() => void stop(p)}>
                  停用
                </Text>
              )}
            </View>
            <View className='muted'>
              {describe(p, categories)} · {storeName(p.storeId)} · {p.startsAt ? p.startsAt.slice(0, 10) : '即日'} 至 {p.endsAt ? p.endsAt.slice(0, 10) : '长期'}
            </View>
          </View>
        ))}
      </View>
      {form === null && !bundle && !discount && (
        <View className='section'>
          <Button id='promo-new' onClick={() => { setErrors({}); setForm(blank); }}>
            新建满减
          </Button>
          <Button id='bundle-new' onClick={() => setBundle(true)}>
            新建组合套餐
          </Button>
          <Button id='discount-new' onClick={() => setDiscount(true)}>
            新建限时折扣
          </Button>
          <View className='muted'>会员价在商品里设置。</View>
        </View>
      )}
      {bundle && (
        <BundleForm
          stores={stores}
          searchStoreId={searchStoreId}
          onSaved={() => {
            setBundle(false);
            load();
          }}
          onCancel={() => setBundle(false)}
        />
      )}
      {discount && (
        <DiscountForm
          stores={stores}
          categories={categories}
          onSaved={() => {
            setDiscount(false);
            load();
          }}
          onCancel={() => setDiscount(false)}
        />
      )}
      {form !== null && (
        <View className='section' id='promo-form'>
          <View className='section-title'>新建满减</View>
          {input('name', '活动名称', 'name')}
          {input('minSpendYuan', '满（元）', 'minSpendFen')}
          {input('offYuan', '减（元）', 'offFen')}
          <View className='row'>
            <Text>每满都减（上不封顶，或填封顶）</Text>
            <Switch id='promo-repeat' checked={form.repeat} onChange={(e) => set('repeat', e.detail.value)} />
          </View>
          {form.repeat && input('capYuan', '最多减（元，可不填）', 'capFen')}
          <CategoryChoice id='promo-categories' categories={categories} chosen={form.categoryIds} onChange={(ids) => set('categoryIds', ids)} errors={errors} errorPrefix='scope' />
          <PromotionWindowFields idPrefix='promo' stores={stores} value={form.window} onChange={(w) => set('window', w)} errors={errors} />
          <Button id='promo-save' type='primary' onClick={() => void save()}>
            保存
          </Button>
          <Button onClick={() => setForm(null)}>取消</Button>
        </View>
      )}
    </View>
  );
}

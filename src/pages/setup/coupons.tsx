import { Button, Input, Picker, Switch, Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { coupon_name_length_max, couponReturnPolicyLabels, couponTemplateRequest, type CouponTemplateRequest } from '../../../shared/api/coupons';
import type { StoreDetail } from '../../../shared/api/staff-admin';
import type { AdminCategory } from '../../../shared/api/products';
import { call } from '../../services/api';
import { fenOfField, formErrors, schemaErrors, setup_pages, staffOrSignIn, type FieldErrors, bpOffOf } from './form';
import { CategoryChoice, scopeText } from './category-choice';
import './setup.less';

type Template = Awaited<ReturnType<typeof call<'couponTemplates'>>>['items'][number];

const kinds = [
  { kind: 'amount_off', label: '满减券' },
  { kind: 'percent_off', label: '折扣券' },
] as const;
const policies = ['never', 'full_return', 'below_threshold'] as const;
const issueWays = [
  { autoIssue: 'none', label: '不自动发（领取或柜台发）' },
  { autoIssue: 'sign_up', label: '新会员注册时自动发' },
  { autoIssue: 'level_up', label: '升到某个等级时自动发' },
] as const;

interface Form {
  name: string;
  kindIndex: number;
  minSpendYuan: string;
  offYuan: string;
  /** 折扣券: 8.5 is 八五折. */
  zhe: string;
  capYuan: string;
  days: string;
  perMember: string;
  total: string;
  claimable: boolean;
  storeIndex: number;
  issueIndex: number;
  level: string;
  policyIndex: number;
  /** The categories whose products the coupon applies to; none is every product. */
  categoryIds: string[];
}

const blank: Form = { name: '', kindIndex: 0, minSpendYuan: '', offYuan: '', zhe: '', capYuan: '', days: '30', perMember: '1', total: '', claimable: true, storeIndex: 0, issueIndex: 0, level: '', policyIndex: 0, categoryIds: [] };

/**
 * 优惠券 for the owner: the templates with how many were issued, used and
 * expired unused, a new one (满减 or 折扣, valid N days from receipt, limits,
 * where it is given out), and stopping one. Managers see the list; making and
 * stopping are the owner's (the API says so when a manager tries).
 */
export default function Coupons() {
  const [items, setItems] = useState<Template[] | null>(null);
  const [stores, setStores] = useState<StoreDetail[]>([]);
  const [form, setForm] = useState<Form | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [categories, setCategories] = useState<AdminCategory[]>([]);

  const load = () => {
    if (!staffOrSignIn(setup_pages.coupons)) return;
    call('couponTemplates')
      .then((r) => setItems(r.items))
      .catch(() => setItems([]));
    call('manageStores')
      .then((r) => setStores(r.items.filter((s) => s.active)))
      .catch(() => setStores([]));
    call('categories')
      .then((r) => setCategories(r.items))
      .catch(() => setCategories([]));
  };
  useDidShow(load);

  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => (f ? { ...f, [key]: value } : f));
  const storeNames = ['全部门店', ...stores.map((s) => s.name)];

  const save = async () => {
    if (!form) return;
    setErrors({});
    const kind = kinds[form.kindIndex]!.kind;
    const storeId = form.storeIndex > 0 ? stores[form.storeIndex - 1]?.id : undefined;
    const issue = issueWays[form.issueIndex]!.autoIssue;
    const body: CouponTemplateRequest = {
      name: form.name,
      kind,
      minSpendFen: form.minSpendYuan.trim() ? fenOfField(form.minSpendYuan) : 0,
      ...(kind === 'amount_off' ? { offFen: fenOfField(form.offYuan) } : { offBp: bpOffOf(form.zhe), ...(form.capYuan.trim() ? { capFen: fenOfField(form.capYuan) } : {}) }),
      validity: { kind: 'days', days: Number(form.days) },
      storeIds: storeId ? [storeId] : [],
      categoryIds: form.categoryIds,
      perMemberMax: Number(form.perMember),
      ...(form.total.trim() ? { totalMax: Number(form.total) } : {}),
      claimable: form.claimable,
      autoIssue: issue,
      ...(issue === 'level_up' ? { autoLevel: form.level } : {}),
      returnPolicy: policies[form.policyIndex]!,
    };
    const checked = couponTemplateRequest.safeParse(body);
    if (!checked.success) {
      setErrors(schemaErrors(checked.error.issues));
      return;
    }
    try {
      await call('createCouponTemplate', { body, quiet: true });
      setForm(null);
      load();
    } catch (error) {
      setErrors(formErrors(error));
    }
  };

  const stop = async (t: Template) => {
    await call('stopCouponTemplate', { params: { templateId: t.id } }).catch(() => null);
    load();
  };

  const input = (key: 'name' | 'minSpendYuan' | 'offYuan' | 'zhe' | 'capYuan' | 'days' | 'perMember' | 'total' | 'level', label: string, apiKey: string) => (
    <View>
      <View className='s-label'>{label}</View>
      <Input id={`coupon-${key}`} className='s-input' type={key === 'name' || key === 'level' ? 'text' : 'digit'} maxlength={key === 'name' ? coupon_name_length_max : 12} value={form?.[key] ?? ''} onInput={(e) => set(key, e.detail.value)} />
      {errors[apiKey] && <View className='field-error'>{errors[apiKey]}</View>}
    </View>
  );

  return (
    <View className='page'>
      <View className='section' id='coupon-list'>
        <View className='section-title'>优惠券</View>
        {!items && <View className='muted'>加载中…</View>}
        {items?.length === 0 && <View className='muted'>还没有优惠券</View>}
        {items?.map((t) => (
          <View key={t.id} className='s-row' data-coupon={t.name}>
            <View className='row'>
              <Text>
                {t.name}
                {t.status === 'stopped' ? '（已停发）' : ''}
              </Text>
              {t.status === 'active' && (
                <Text className='link' id={`coupon-stop-${t.id}`} onClick={() => void stop(t)}>
                  停发
                </Text>
              )}
            </View>
            <View className='muted'>
              {t.summary}
              {scopeText(t.categoryIds, categories)} · {t.validDays ? `领取后 ${t.validDays} 天有效` : `${t.validFrom?.slice(0, 10)} 至 ${t.validUntil?.slice(0, 10)}`} · 每人限 {t.perMemberMax} 张{t.totalMax ? ` · 共 ${t.totalMax} 张` : ''}
            </View>
            <View className='muted' data-coupon-counts={t.name}>
              已发 {t.issued} · 已用 {t.used} · 过期未用 {t.expired} · {couponReturnPolicyLabels[t.returnPolicy]}
            </View>
          </View>
        ))}
      </View>
      {form === null && (
        <View className='section'>
          <Button id='coupon-new' onClick={() => { setErrors({}); setForm(blank); }}>
            新建优惠券
          </Button>
          <View className='muted'>赠品券、固定日期和限定单个商品的券可以通过接口设置，已有的会列在上面。</View>
        </View>
      )}
      {form !== null && (
        <View className='section' id='coupon-form'>
          <View className='section-title'>新建优惠券</View>
          {input('name', '名称（顾客看到的）', 'name')}
          <View className='s-label'>类型</View>
          <Picker mode='selector' range={kinds.map((k) => k.label)} value={form.kindIndex} onChange={(e) => set('kindIndex', Number(e.detail.value))}>
            <View className='s-input' id='coupon-kind'>{kinds[form.kindIndex]!.label}</View>
          </Picker>
          {input('minSpendYuan', '满（元，不填为无门槛）', 'minSpendFen')}
          {form.kindIndex === 0 ? input('offYuan', '减（元）', 'offFen') : input('zhe', '折扣（如 8.5 即八五折）', 'offBp')}
          {form.kindIndex === 1 && input('capYuan', '最多减（元，可不填）', 'capFen')}
          {input('days', '领取后有效天数', 'validity.days')}
          {input('perMember', '每人限领（张）', 'perMemberMax')}
          {input('total', '发放总量（张，不填不限）', 'totalMax')}
          <View className='row'>
            <Text>顾客可在领券中心领取</Text>
            <Switch id='coupon-claimable' checked={form.claimable} onChange={(e) => set('claimable', e.detail.value)} />
          </View>
          <View className='s-label'>适用门店</View>
          <Picker mode='selector' range={storeNames} value={form.storeIndex} onChange={(e) => set('storeIndex', Number(e.detail.value))}>
            <View className='s-input' id='coupon-store'>{storeNames[form.storeIndex]}</View>
          </Picker>
          <CategoryChoice id='coupon-categories' categories={categories} chosen={form.categoryIds} onChange={(ids) => set('categoryIds', ids)} errors={errors} errorPrefix='categoryIds' />
          <View className='s-label'>自动发放</View>
          <Picker mode='selector' range={issueWays.map((w) => w.label)} value={form.issueIndex} onChange={(e) => set('issueIndex', Number(e.detail.value))}>
            <View className='s-input' id='coupon-issue'>{issueWays[form.issueIndex]!.label}</View>
          </Picker>
          {form.issueIndex === 2 && input('level', '等级名称（如 金卡）', 'autoLevel')}
          <View className='s-label'>退货时</View>
          <Picker mode='selector' range={policies.map((p) => couponReturnPolicyLabels[p])} value={form.policyIndex} onChange={(e) => set('policyIndex', Number(e.detail.value))}>
            <View className='s-input' id='coupon-policy'>{couponReturnPolicyLabels[policies[form.policyIndex]!]}</View>
          </Picker>
          <Button id='coupon-save' type='primary' onClick={() => void save()}>
            保存
          </Button>
          <Button onClick={() => setForm(null)}>取消</Button>
        </View>
      )}
    </View>
  );
}

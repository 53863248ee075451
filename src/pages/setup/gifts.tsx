import { Button, Input, Switch, Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import type { ProductSummary } from '../../../shared/api/catalog';
import { giftRequest, type GiftView } from '../../../shared/api/points-mall';
import { fenToYuan, formatFen } from '../../../shared/money';
import { specLabel } from '../../../shared/spec-label';
import { call, showError } from '../../services/api';
import { fenOfField, formErrors, schemaErrors, staffOrSignIn, type FieldErrors } from './form';
import './setup.less';

interface GiftForm {
  id: string | null;
  skuId: string;
  skuLabel: string;
  name: string;
  points: string;
  cashYuan: string;
  perMember: string;
  active: boolean;
}

const empty: GiftForm = { id: null, skuId: '', skuLabel: '', name: '', points: '', cashYuan: '0', perMember: '1', active: true };

function intOf(text: string): number {
  const n = Number(text.trim());
  return text.trim() === '' || !Number.isInteger(n) ? Number.NaN : n;
}

/**
 * 积分商城礼品: the owner picks a SKU of the catalog as a gift and prices it
 * in points (and an optional cash part paid at the counter), with a limit
 * per member. The gift's stock is the SKU's stock in each store; a manager
 * sees the list.
 */
export default function Gifts() {
  const [gifts, setGifts] = useState<GiftView[] | null>(null);
  const [isOwner, setIsOwner] = useState(false);
  const [storeId, setStoreId] = useState('');
  const [q, setQ] = useState('');
  const [found, setFound] = useState<ProductSummary[]>([]);
  const [form, setForm] = useState<GiftForm | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});

  const load = () => {
    call('mallGifts')
      .then((r) => setGifts(r.items))
      .catch((e: unknown) => showError(e));
  };

  useDidShow(() => {
    const staff = staffOrSignIn('/pages/setup/gifts');
    if (!staff) return;
    setIsOwner(staff.staff.role === 'owner');
    setStoreId(staff.stores[0]?.id ?? '');
    load();
  });

  const search = async () => {
    if (!storeId || q.trim() === '') return;
    const r = await call('storeProducts', { params: { storeId }, query: { q: q.trim(), limit: 20 } }).catch(() => null);
    setFound(r?.items ?? []);
  };

  const edit = (g: GiftView) => {
    setErrors({});
    setForm({ id: g.id, skuId: g.skuId, skuLabel: g.skuLabel, name: g.name, points: String(g.pointsPrice), cashYuan: fenToYuan(g.cashFen), perMember: String(g.perMemberMax), active: g.active });
  };

  const save = async () => {
    if (!form) return;
    setErrors({});
    const body = { name: form.name, skuId: form.skuId, pointsPrice: intOf(form.points), cashFen: fenOfField(form.cashYuan || '0'), perMemberMax: intOf(form.perMember), active: form.active };
    const checked = giftRequest.safeParse(body);
    if (!checked.success) {
      setErrors(schemaErrors(checked.error.issues));
      return;
    }
    try {
      if (form.id) await call('updateMallGift', { params: { giftId: form.id }, body, quiet: true });
      else await call('createMallGift', { body, quiet: true });
      setForm(null);
      setFound([]);
      load();
    } catch (error) {
      setErrors(formErrors(error));
    }
  };

  const field = (key: 'name' | 'points' | 'cashYuan' | 'perMember', label: string, apiKey: string, type: 'text' | 'digit' | 'number') => (
    <View>
      <View className='s-label'>{label}</View>
      <Input id={`gift-${key}`} className='s-input' type={type} value={form?.[key] ?? ''} onInput={(e) => setForm((f) => (f ? { ...f, [key]: e.detail.value } : f))} />
      {errors[apiKey] && <View className='field-error'>{errors[apiKey]}</View>}
    </View>
  );

  return (
    <View className='page'>
      <View className='section' id='gift-list'>
        <View className='section-title'>礼品</View>
        {!gifts && <View className='muted'>加载中…</View>}
        {gifts?.length === 0 && <View className='muted'>还没有礼品。选一件商品作为礼品，会员就能在“积分商城”里用积分兑换。</View>}
        {gifts?.map((g) => (
          <View key={g.id} className='s-row' data-gift={g.name}>
            <View className='row'>
              <Text>{g.name}</Text>
              <Text className='price'>
                {g.pointsPrice} 积分{g.cashFen > 0 ? ` + ${formatFen(g.cashFen)}` : ''}
              </Text>
            </View>
            <View className='muted'>
              {g.skuLabel} · 各店共剩 {g.available} 件 · 每人限兑 {g.perMemberMax} 件 · {g.active ? '兑换中' : '已停兑'}
            </View>
            {isOwner && (
              <Text className='link' onClick={() => edit(g)}>
                修改 ›
              </Text>
            )}
          </View>
        ))}
      </View>
      {isOwner && !form && (
        <View className='section'>
          <View className='section-title'>添加礼品：先选商品</View>
          <Input id='gift-search' className='s-input' placeholder='名称、拼音首字母或条码' value={q} onInput={(e) => setQ(e.detail.value)} onConfirm={() => void search()} />
          <Button id='gift-search-go' onClick={() => void search()}>
            搜索
          </Button>
          {found.flatMap((p) =>
            p.skus.map((s) => (
              <View key={s.id} className='s-row' data-barcode={s.barcode} onClick={() => setForm({ ...empty, skuId: s.id, skuLabel: `${p.name} ${specLabel(s.spec)}`, name: p.name })}>
                <View className='row'>
                  <Text>
                    {p.name} {specLabel(s.spec)}
                  </Text>
                  <Text className='muted'>选为礼品 ›</Text>
                </View>
              </View>
            )),
          )}
        </View>
      )}
      {form && (
        <View className='section' id='gift-form'>
          <View className='section-title'>{form.skuLabel}</View>
          {field('name', '礼品名称（会员看到的名字）', 'name', 'text')}
          {field('points', '所需积分', 'pointsPrice', 'number')}
          {field('cashYuan', '另加现金（元，到店领取时收取；0 为纯积分）', 'cashFen', 'digit')}
          {field('perMember', '每人限兑（件）', 'perMemberMax', 'number')}
          <View className='row'>
            <Text className='s-label'>兑换中</Text>
            <Switch id='gift-active' checked={form.active} onChange={(e) => setForm((f) => (f ? { ...f, active: e.detail.value } : f))} />
          </View>
          {errors.skuId && <View className='field-error'>{errors.skuId}</View>}
          <Button id='gift-save' type='primary' onClick={() => void save()}>
            保存礼品
          </Button>
          <Button onClick={() => setForm(null)}>取消</Button>
        </View>
      )}
    </View>
  );
}

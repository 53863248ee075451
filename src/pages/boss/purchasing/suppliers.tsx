import { Button, Input, Switch, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { supplier_lead_time_days_max, supplier_payment_terms_days_max, type SupplierView } from '../../../../shared/api/purchasing';
import { call } from '../../../services/api';
import { purchasing_pages, staffOrSignIn } from './session';
import './purchasing.less';

const blank = { name: '', contact: '', phone: '', terms: '30', lead: '3' };

function daysIn(text: string, max: number): number | null {
  return /^\d{1,3}$/.test(text.trim()) && Number(text) <= max ? Number(text) : null;
}

/** The merchant's suppliers with their payment terms and lead times; add one, or stop using one. */
export default function Suppliers() {
  const [items, setItems] = useState<SupplierView[] | null>(null);
  const [form, setForm] = useState(blank);
  const [error, setError] = useState('');

  const load = () => {
    if (!staffOrSignIn(purchasing_pages.suppliers)) return;
    call('suppliers')
      .then((r) => setItems(r.items))
      .catch(() => setItems([]));
  };
  useDidShow(load);

  const add = async () => {
    const terms = daysIn(form.terms, supplier_payment_terms_days_max);
    const lead = daysIn(form.lead, supplier_lead_time_days_max);
    if (form.name.trim() === '') return setError('请填写供应商名称');
    if (terms === null) return setError(`账期须是 0–${supplier_payment_terms_days_max} 天`);
    if (lead === null) return setError(`到货天数须是 0–${supplier_lead_time_days_max} 天`);
    setError('');
    const r = await call('createSupplier', { body: { name: form.name.trim(), contact: form.contact.trim(), phone: form.phone.trim(), paymentTermsDays: terms, leadTimeDays: lead } }).catch(() => null);
    if (r) {
      setForm(blank);
      load();
    }
  };
  const setActive = async (s: SupplierView, active: boolean) => {
    await call('updateSupplier', { params: { supplierId: s.id }, body: { active } }).catch(() => null);
    load();
  };
  const field = (key: keyof typeof blank, placeholder: string, type: 'text' | 'number' = 'text') => (
    <Input id={`supplier-${key}`} className='p-input' type={type} placeholder={placeholder} value={form[key]} onInput={(e) => setForm((f) => ({ ...f, [key]: e.detail.value }))} />
  );

  return (
    <View className='page'>
      <View className='section' id='supplier-list'>
        <View className='section-title'>供应商</View>
        {!items && <View className='muted'>加载中…</View>}
        {items?.length === 0 && <View className='muted empty'>还没有供应商。在下面添加后就可以下采购单。</View>}
        {items?.map((s) => (
          <View key={s.id} className='supplier-row' data-supplier-id={s.id}>
            <View className='row'>
              <Text>{s.name}{s.active ? '' : '（已停用）'}</Text>
              <Switch checked={s.active} onChange={(e) => void setActive(s, e.detail.value)} />
            </View>
            <View className='row muted'>
              <Text>
                {[s.contact, s.phone].filter(Boolean).join(' · ') || '无联系人'} · 账期 {s.paymentTermsDays} 天 · 到货 {s.leadTimeDays} 天
              </Text>
              <Text className='link' onClick={() => void Taro.navigateTo({ url: `${purchasing_pages.statement}?supplierId=${s.id}` })}>对账单 ›</Text>
            </View>
          </View>
        ))}
      </View>
      <View className='section' id='supplier-form'>
        <View className='section-title'>添加供应商</View>
        {field('name', '名称（必填）')}
        {field('contact', '联系人')}
        {field('phone', '电话')}
        <View className='row'>
          <Text className='muted'>账期（天）</Text>
          {field('terms', '30', 'number')}
        </View>
        <View className='row'>
          <Text className='muted'>下单到到货（天）</Text>
          {field('lead', '3', 'number')}
        </View>
        {error && <View className='form-error'>{error}</View>}
        <Button id='supplier-add' type='primary' onClick={() => void add()}>添加</Button>
      </View>
    </View>
  );
}

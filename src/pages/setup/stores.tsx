import { Button, Input, Switch, Text, Textarea, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { business_hours_length_max, store_address_length_max, store_name_length_max, store_receipt_footer_length_max, store_receipt_header_length_max } from '../../../shared/api/limits';
import type { StoreDetail } from '../../../shared/api/staff-admin';
import { call } from '../../services/api';
import { formErrors, setup_pages, staffOrSignIn, type FieldErrors } from './form';
import './setup.less';

const blank = { name: '', address: '', phone: '', businessHours: '09:00-21:00', receiptHeader: '', receiptFooter: '' };
type Form = typeof blank;
type Rounding = 'none' | 'jiao' | 'yuan';

/** 抹零 for cash at the counter: what each choice does to a total of ¥12.37. */
const roundings: { value: Rounding; label: string }[] = [
  { value: 'none', label: '不抹零' },
  { value: 'jiao', label: '抹分（¥12.30）' },
  { value: 'yuan', label: '抹角分（¥12.00）' },
];

/**
 * 门店管理: the owner adds and edits stores — with the receipt's own line
 * and closing words, and the store's 抹零 rule for cash — and closes one
 * (refused while a shift is open there); a manager sees their own stores.
 */
export default function Stores() {
  const [items, setItems] = useState<StoreDetail[] | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [form, setForm] = useState<Form>(blank);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [isOwner, setIsOwner] = useState(false);
  const [rounding, setRounding] = useState<Rounding>('none');

  const load = () => {
    const staff = staffOrSignIn(setup_pages.stores);
    if (!staff) return;
    setIsOwner(staff.staff.role === 'owner');
    call('manageStores')
      .then((r) => setItems(r.items))
      .catch(() => setItems([]));
  };
  useDidShow(load);

  const startEdit = (s: StoreDetail | null) => {
    setErrors({});
    setEditing(s ? s.id : 'new');
    setForm(s ? { name: s.name, address: s.address, phone: s.phone, businessHours: s.businessHours, receiptHeader: s.receiptHeader, receiptFooter: s.receiptFooter } : blank);
    setRounding('none');
    // The store's 抹零 rule is what its pricing context says the counter uses.
    if (s) void call('pricingContext', { params: { storeId: s.id }, quiet: true }).then((c) => setRounding(c.cashRounding), () => undefined);
  };

  const save = async () => {
    setErrors({});
    try {
      const { receiptHeader: _header, receiptFooter: _footer, ...basics } = form;
      let storeId = editing;
      let was: Form | undefined = items?.find((s) => s.id === editing);
      if (editing === 'new') {
        storeId = (await call('createStore', { body: basics, quiet: true })).store.id;
        // Made now: a failure below leaves the form editing this store, so saving again does not make a second one.
        setEditing(storeId);
        was = { ...form, receiptHeader: '', receiptFooter: '' };
      }
      if (storeId) {
        // Only what changed is sent: a store made before a rule (the demo's, with no phone) can still have its other fields edited.
        const changed = Object.fromEntries((Object.keys(form) as (keyof Form)[]).filter((k) => !was || form[k] !== was[k]).map((k) => [k, form[k]]));
        if (Object.keys(changed).length > 0) await call('updateStore', { params: { storeId }, body: changed, quiet: true });
        await call('storeSettings', { params: { storeId }, body: { cashRounding: rounding }, quiet: true });
      }
      setEditing(null);
      load();
    } catch (error) {
      setErrors(formErrors(error));
    }
  };

  const setActive = async (s: StoreDetail, active: boolean) => {
    await call('updateStore', { params: { storeId: s.id }, body: { active } }).catch(() => null);
    load();
  };

  const field = (key: keyof Form, label: string, max: number) => (
    <View>
      <View className='s-label'>{label}</View>
      <Input id={`store-${key}`} className='s-input' maxlength={max} value={form[key]} onInput={(e) => setForm((f) => ({ ...f, [key]: e.detail.value }))} />
      {errors[key] && <View className='field-error'>{errors[key]}</View>}
    </View>
  );

  return (
    <View className='page'>
      <View className='section' id='store-list'>
        <View className='section-title'>门店</View>
        {!items && <View className='muted'>加载中…</View>}
        {items?.map((s) => (
          <View key={s.id} className='s-row' data-store-code={s.code}>
            <View className='row'>
              <Text>
                {s.name}
                {s.active ? '' : '（已停用）'}
              </Text>
              {isOwner && <Switch checked={s.active} onChange={(e) => void setActive(s, e.detail.value)} />}
            </View>
            <View className='muted'>
              {s.code} · {s.address || '未填地址'} · {s.phone || '未填电话'} · {s.businessHours || '未填营业时间'}
            </View>
            {isOwner && (
              <Text className='link' onClick={() => startEdit(s)}>
                编辑 ›
              </Text>
            )}
          </View>
        ))}
      </View>
      {isOwner && editing === null && (
        <View className='section'>
          <Button id='store-new' onClick={() => startEdit(null)}>添加门店</Button>
        </View>
      )}
      {editing !== null && (
        <View className='section' id='store-form'>
          <View className='section-title'>{editing === 'new' ? '添加门店' : '编辑门店'}</View>
          {field('name', '门店名称', store_name_length_max)}
          {field('address', '地址', store_address_length_max)}
          {field('phone', '电话', 13)}
          {field('businessHours', '营业时间', business_hours_length_max)}
          {field('receiptHeader', '小票抬头（店名和地址下的一行，可不填）', store_receipt_header_length_max)}
          <View>
            <View className='s-label'>小票页脚（不填则为“谢谢惠顾，欢迎再次光临”）</View>
            <Textarea id='store-receiptFooter' className='s-input' maxlength={store_receipt_footer_length_max} autoHeight value={form.receiptFooter} onInput={(e) => setForm((f) => ({ ...f, receiptFooter: e.detail.value }))} />
            {errors.receiptFooter && <View className='field-error'>{errors.receiptFooter}</View>}
          </View>
          <View className='s-label'>现金抹零</View>
          <View className='row' id='store-rounding'>
            {roundings.map((r) => (
              <Text key={r.value} data-rounding={r.value} className={`chip ${rounding === r.value ? 'chip--on' : ''}`} onClick={() => setRounding(r.value)}>
                {r.label}
              </Text>
            ))}
          </View>
          <Button id='store-save' type='primary' onClick={() => void save()}>保存</Button>
          <Button onClick={() => setEditing(null)}>取消</Button>
        </View>
      )}
    </View>
  );
}

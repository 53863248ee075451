import { Button, Input, Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { storedValuePlanRequest, type StoredValuePlanView, type StoredValueStatement } from '../../../shared/api/stored-value';
import type { MemberCard } from '../../../shared/api/members';
import { formatFen } from '../../../shared/money';
import { newId } from '../../../shared/ids';
import { call, showError } from '../../services/api';
import { fenOfField, formErrors, schemaErrors, setup_pages, staffOrSignIn, type FieldErrors } from './form';
import './setup.less';

/** Cash may pay back at most this much of a surrendered card (the prepaid card rules); the server holds the same number. */
const surrender_cash_max_fen = 10_000;

/**
 * 储值方案与退款: the owner makes and stops top-up plans (充 100 送 20), sets
 * the cap per card, and pays a member back their unused principal (the bonus
 * is forfeited). A manager sees the plans; only the owner changes anything.
 */
export default function StoredValueSetup() {
  const [plans, setPlans] = useState<StoredValuePlanView[] | null>(null);
  const [isOwner, setIsOwner] = useState(false);
  const [storeId, setStoreId] = useState('');
  const [form, setForm] = useState({ name: '', pay: '', bonus: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [cap, setCap] = useState('');
  const [phone, setPhone] = useState('');
  const [found, setFound] = useState<{ member: MemberCard; statement: StoredValueStatement } | null>(null);
  const [reference, setReference] = useState('');
  const [refundNote, setRefundNote] = useState('');
  const [message, setMessage] = useState('');

  const load = () => {
    const staff = staffOrSignIn(setup_pages.storedValue);
    if (!staff) return;
    const owner = staff.staff.role === 'owner';
    setIsOwner(owner);
    setStoreId(staff.stores[0]?.id ?? '');
    call('storedValuePlans').then((r) => setPlans(r.plans), showError);
    if (owner) call('storedValueSettings').then((r) => setCap(String(r.balanceCapFen / 100)), showError);
  };
  useDidShow(load);

  const create = async () => {
    setErrors({});
    const body = { name: form.name, payFen: fenOfField(form.pay), bonusFen: form.bonus.trim() === '' ? 0 : fenOfField(form.bonus) };
    const checked = storedValuePlanRequest.safeParse(body);
    if (!checked.success) return setErrors(schemaErrors(checked.error.issues));
    try {
      await call('createStoredValuePlan', { body: checked.data, quiet: true });
      setForm({ name: '', pay: '', bonus: '' });
      load();
    } catch (e) {
      setErrors(formErrors(e));
    }
  };

  const stop = async (planId: string) => {
    await call('stopStoredValuePlan', { params: { planId } }).catch(() => undefined);
    load();
  };

  const saveCap = async () => {
    try {
      const saved = await call('saveStoredValueSettings', { body: { balanceCapFen: fenOfField(cap) } });
      setCap(String(saved.balanceCapFen / 100));
      setMessage('上限已保存');
    } catch {
      // The toast says why.
    }
  };

  const find = async () => {
    setFound(null);
    try {
      const { member } = await call('memberLookup', { query: { phone: phone.trim() } });
      setFound({ member, statement: await call('memberStoredValue', { params: { memberId: member.id } }) });
    } catch {
      // The toast says why.
    }
  };

  const refund = async () => {
    if (!found) return;
    const principal = found.statement.balance.principalFen;
    const method = principal <= surrender_cash_max_fen ? 'cash' : 'bank';
    try {
      const r = await call('refundStoredValue', {
        params: { memberId: found.member.id },
        body: { clientRefundId: newId('storedValueRefund'), storeId, method, note: refundNote.trim() || '顾客退卡', ...(reference.trim() ? { reference: reference.trim() } : {}) },
      });
      setMessage(`已退本金 ${formatFen(r.refund.principalFen)}（${method === 'cash' ? '现金' : '银行转账'}），赠送 ${formatFen(r.refund.bonusForfeitedFen)} 作废`);
      setFound({ member: found.member, statement: await call('memberStoredValue', { params: { memberId: found.member.id } }) });
    } catch {
      // The toast says why.
    }
  };

  const principal = found?.statement.balance.principalFen ?? 0;
  return (
    <View className='page'>
      <View className='section' id='sv-plans'>
        <View className='section-title'>储值方案</View>
        {plans?.length === 0 && <View className='muted'>还没有方案</View>}
        {plans?.map((p) => (
          <View key={p.id} className='row' style={{ justifyContent: 'space-between', padding: '6px 0' }}>
            <Text>
              {p.name} · 充 {formatFen(p.payFen)} 送 {formatFen(p.bonusFen)}
              {p.status === 'stopped' ? ' · 已停用' : ''}
            </Text>
            {isOwner && p.status === 'active' && (
              <Button size='mini' id={`sv-stop-${p.id}`} onClick={() => void stop(p.id)}>
                停用
              </Button>
            )}
          </View>
        ))}
      </View>
      {isOwner && (
        <View className='section' id='sv-new-plan'>
          <View className='section-title'>新方案</View>
          <View className='s-label'>名称</View>
          <Input id='sv-plan-name' className='s-input' value={form.name} placeholder='充100送20' onInput={(e) => setForm({ ...form, name: e.detail.value })} />
          {errors.name && <View className='field-error'>{errors.name}</View>}
          <View className='s-label'>充值金额（元）</View>
          <Input id='sv-plan-pay' className='s-input' type='digit' value={form.pay} onInput={(e) => setForm({ ...form, pay: e.detail.value })} />
          {errors.payFen && <View className='field-error'>{errors.payFen}</View>}
          <View className='s-label'>赠送金额（元）</View>
          <Input id='sv-plan-bonus' className='s-input' type='digit' value={form.bonus} onInput={(e) => setForm({ ...form, bonus: e.detail.value })} />
          {errors.bonusFen && <View className='field-error'>{errors.bonusFen}</View>}
          <Button id='sv-plan-save' type='primary' onClick={() => void create()}>
            添加方案
          </Button>
        </View>
      )}
      {isOwner && (
        <View className='section' id='sv-cap'>
          <View className='section-title'>每张储值卡余额上限（元）</View>
          <Input id='sv-cap-input' className='s-input' type='digit' value={cap} onInput={(e) => setCap(e.detail.value)} />
          <View className='muted'>单用途预付卡规定：记名卡不超过 5000 元，不记名卡（未留手机号）不超过 1000 元</View>
          <Button id='sv-cap-save' onClick={() => void saveCap()}>
            保存上限
          </Button>
        </View>
      )}
      {isOwner && (
        <View className='section' id='sv-refund'>
          <View className='section-title'>会员退卡（退本金）</View>
          <Input id='sv-refund-phone' className='s-input' type='number' placeholder='会员手机号' value={phone} onInput={(e) => setPhone(e.detail.value)} />
          <Button id='sv-refund-find' onClick={() => void find()}>
            查询
          </Button>
          {found && (
            <View>
              <View>
                {found.member.name ?? '会员'} {found.member.phoneMasked ?? ''} · 本金 {formatFen(principal)} · 赠送 {formatFen(found.statement.balance.bonusFen)}
              </View>
              {principal > surrender_cash_max_fen && (
                <Input id='sv-refund-reference' className='s-input' placeholder='银行转账凭证号（超过 100 元须转入本人银行账户）' value={reference} onInput={(e) => setReference(e.detail.value)} />
              )}
              <Input id='sv-refund-note' className='s-input' placeholder='退款原因' value={refundNote} onInput={(e) => setRefundNote(e.detail.value)} />
              <Button id='sv-refund-go' type='warn' disabled={principal === 0} onClick={() => void refund()}>
                {principal <= surrender_cash_max_fen ? `现金退还 ${formatFen(principal)}` : `银行转账退还 ${formatFen(principal)}`}
              </Button>
            </View>
          )}
        </View>
      )}
      {message && (
        <View className='section muted' id='sv-message'>
          {message}
        </View>
      )}
    </View>
  );
}

import { Button, Input, Picker, Switch, Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { referralSettingsRequest, type ReferralView } from '../../../shared/api/referrals';
import { formatShanghaiTime } from '../../../shared/receipt/layout';
import { call, showError } from '../../services/api';
import { formErrors, schemaErrors, staffOrSignIn, type FieldErrors } from './form';
import './setup.less';

interface SettingsForm {
  enabled: boolean;
  referrerPoints: string;
  refereePoints: string;
  dailyCap: string;
  referrerCouponTemplateId: string | null;
  refereeCouponTemplateId: string | null;
}

/** A coupon the owner may give as a referral reward, as the picker lists it. */
interface CouponChoice {
  id: string;
  label: string;
  active: boolean;
}

const status_names: Record<ReferralView['status'], string> = { pending: '待首单', rewarded: '已奖励', refused: '未奖励', void: '已作废' };

function intOf(text: string): number {
  const n = Number(text.trim());
  return text.trim() === '' || !Number.isInteger(n) ? Number.NaN : n;
}

/**
 * 老带新邀请: what a referral gives both sides on the new member's first paid
 * purchase, the daily cap per referrer, and every referral with its outcome.
 * The owner sets the rules; a manager sees them and the list.
 */
export default function Referrals() {
  const [form, setForm] = useState<SettingsForm | null>(null);
  const [isOwner, setIsOwner] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saved, setSaved] = useState(false);
  const [list, setList] = useState<{ items: ReferralView[]; totals: { referred: number; rewarded: number; pointsGiven: number } } | null>(null);
  const [coupons, setCoupons] = useState<CouponChoice[]>([]);

  useDidShow(() => {
    const staff = staffOrSignIn('/pages/setup/referrals');
    if (!staff) return;
    setIsOwner(staff.staff.role === 'owner');
    call('referralSettings')
      .then((s) =>
        setForm({ enabled: s.enabled, referrerPoints: String(s.referrerPoints), refereePoints: String(s.refereePoints), dailyCap: String(s.dailyCap), referrerCouponTemplateId: s.referrerCouponTemplateId, refereeCouponTemplateId: s.refereeCouponTemplateId }),
      )
      .catch((e: unknown) => showError(e));
    call('referrals')
      .then(setList)
      .catch((e: unknown) => showError(e));
    // The templates a reward may give: the active ones, and a stopped one still chosen (so the owner sees it and can change it).
    call('couponTemplates')
      .then((r) => setCoupons(r.items.map((t) => ({ id: t.id, label: `${t.name}（${t.summary}）${t.status === 'active' ? '' : '（已停发）'}`, active: t.status === 'active' }))))
      .catch((e: unknown) => showError(e));
  });

  const save = async () => {
    if (!form) return;
    setErrors({});
    setSaved(false);
    const body = {
      enabled: form.enabled,
      referrerPoints: intOf(form.referrerPoints),
      refereePoints: intOf(form.refereePoints),
      dailyCap: intOf(form.dailyCap),
      referrerCouponTemplateId: form.referrerCouponTemplateId,
      refereeCouponTemplateId: form.refereeCouponTemplateId,
    };
    const checked = referralSettingsRequest.safeParse(body);
    if (!checked.success) {
      setErrors(schemaErrors(checked.error.issues));
      return;
    }
    try {
      await call('saveReferralSettings', { body, quiet: true });
      setSaved(true);
    } catch (error) {
      setErrors(formErrors(error));
    }
  };

  const field = (key: 'referrerPoints' | 'refereePoints' | 'dailyCap', label: string) => (
    <View>
      <View className='s-label'>{label}</View>
      <Input id={`referral-${key}`} className='s-input' type='number' disabled={!isOwner} value={form?.[key] ?? ''} onInput={(e) => setForm((f) => (f ? { ...f, [key]: e.detail.value } : f))} />
      {errors[key] && <View className='field-error'>{errors[key]}</View>}
    </View>
  );

  const couponField = (key: 'referrerCouponTemplateId' | 'refereeCouponTemplateId', label: string) => {
    const chosen = form?.[key] ?? null;
    const choices = coupons.filter((c) => c.active || c.id === chosen);
    const names = ['不送券', ...choices.map((c) => c.label)];
    const index = chosen === null ? 0 : choices.findIndex((c) => c.id === chosen) + 1;
    return (
      <View id={`referral-${key}`}>
        <View className='s-label'>{label}</View>
        <Picker mode='selector' disabled={!isOwner} range={names} value={index} onChange={(e) => setForm((f) => (f ? { ...f, [key]: Number(e.detail.value) === 0 ? null : (choices[Number(e.detail.value) - 1]?.id ?? null) } : f))}>
          <View className='s-input'>
            {index > 0 ? names[index] : chosen === null ? '不送券' : '已选的券'}
          </View>
        </Picker>
        {errors[key] && <View className='field-error'>{errors[key]}</View>}
      </View>
    );
  };

  return (
    <View className='page'>
      {!form && <View className='section muted'>加载中…</View>}
      {form && (
        <View className='section' id='referral-settings'>
          <View className='row'>
            <Text className='section-title'>邀请有礼</Text>
            <Switch id='referral-enabled' disabled={!isOwner} checked={form.enabled} onChange={(e) => setForm((f) => (f ? { ...f, enabled: e.detail.value } : f))} />
          </View>
          <View className='muted'>会员分享店铺，新会员经分享进店并首次付款后，双方各得奖励。每位新会员、每个手机号只奖励一次，不能邀请自己。</View>
          {field('referrerPoints', '邀请人得积分')}
          {field('refereePoints', '新会员得积分')}
          {couponField('referrerCouponTemplateId', '邀请人得优惠券')}
          {couponField('refereeCouponTemplateId', '新会员得优惠券')}
          {field('dailyCap', '每位邀请人每天最多奖励几次')}
          {isOwner && (
            <Button id='referral-save' type='primary' onClick={() => void save()}>
              保存
            </Button>
          )}
          {saved && (
            <View className='muted' id='referral-saved'>
              已保存，之后的首单按新规则奖励
            </View>
          )}
        </View>
      )}
      <View className='section' id='referral-list'>
        <View className='section-title'>邀请记录</View>
        {list && (
          <View className='muted' id='referral-totals'>
            共邀请 {list.totals.referred} 人 · 已奖励 {list.totals.rewarded} 人 · 送出 {list.totals.pointsGiven} 积分
          </View>
        )}
        {list?.items.length === 0 && <View className='muted'>还没有会员通过邀请进店</View>}
        {list?.items.map((r) => (
          <View key={r.id} className='s-row' data-status={r.status}>
            <View className='row'>
              <Text>
                {r.referrer.name ?? r.referrer.phoneMasked ?? '会员'} → {r.referee.name ?? r.referee.phoneMasked ?? '新会员'}
              </Text>
              <Text className='muted'>{status_names[r.status]}</Text>
            </View>
            <View className='muted'>
              {formatShanghaiTime(r.arrivedAt)} 进店
              {r.status === 'rewarded' ? ` · 邀请人 +${r.referrerPoints}，新会员 +${r.refereePoints} 积分` : ''}
              {r.refusedReason ? ` · ${r.refusedReason}` : ''}
            </View>
          </View>
        ))}
      </View>
    </View>
  );
}

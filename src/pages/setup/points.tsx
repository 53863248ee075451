import { Button, Input, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { sellingSettingsRequest } from '../../../shared/api/promotions';
import { call, showError } from '../../services/api';
import { formErrors, schemaErrors, setup_pages, staffOrSignIn, type FieldErrors } from './form';
import './setup.less';

interface PointsForm {
  pointsPerYuan: string;
  redeemPointsPerFen: string;
  capPercent: string;
}

function numberOf(text: string, scale = 1): number {
  const n = Number(text.trim());
  return text.trim() === '' || !Number.isFinite(n) ? Number.NaN : Math.round(n * scale);
}

/**
 * 积分规则: how many points a yuan paid earns, how many points pay one fen,
 * and the share of an order points may pay. The owner sets them for the
 * whole merchant; a manager sees them.
 */
export default function Points() {
  const [form, setForm] = useState<PointsForm | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [isOwner, setIsOwner] = useState(false);
  const [saved, setSaved] = useState(false);

  const load = () => {
    const staff = staffOrSignIn(setup_pages.points);
    if (!staff) return;
    setIsOwner(staff.staff.role === 'owner');
    call('getSellingSettings')
      .then((r) => setForm({ pointsPerYuan: String(r.pointsPerYuan), redeemPointsPerFen: String(r.redeemPointsPerFen), capPercent: String(r.pointsRedeemCapBp / 100) }))
      .catch((e: unknown) => showError(e));
  };
  useDidShow(load);

  const save = async () => {
    if (!form) return;
    setErrors({});
    setSaved(false);
    const body = { pointsPerYuan: numberOf(form.pointsPerYuan), redeemPointsPerFen: numberOf(form.redeemPointsPerFen), pointsRedeemCapBp: numberOf(form.capPercent, 100) };
    const checked = sellingSettingsRequest.safeParse(body);
    if (!checked.success) {
      setErrors(schemaErrors(checked.error.issues));
      return;
    }
    try {
      await call('sellingSettings', { body, quiet: true });
      setSaved(true);
    } catch (error) {
      setErrors(formErrors(error));
    }
  };

  const field = (key: keyof PointsForm, label: string, apiKey: string) => (
    <View>
      <View className='s-label'>{label}</View>
      <Input id={`points-${key}`} className='s-input' type='digit' disabled={!isOwner} value={form?.[key] ?? ''} onInput={(e) => setForm((f) => (f ? { ...f, [key]: e.detail.value } : f))} />
      {errors[apiKey] && <View className='field-error'>{errors[apiKey]}</View>}
    </View>
  );

  return (
    <View className='page'>
      {!form && <View className='section muted'>加载中…</View>}
      {form && (
        <View className='section' id='points-form'>
          {field('pointsPerYuan', '每消费 1 元得几积分（0 表示不送积分）', 'pointsPerYuan')}
          {field('redeemPointsPerFen', '几积分抵 1 分钱（1 即 100 积分抵 1 元）', 'redeemPointsPerFen')}
          {field('capPercent', '积分最多抵订单的百分之几', 'pointsRedeemCapBp')}
          <View className='muted'>会员等级的积分倍率在“会员等级”里设置。</View>
          {isOwner && (
            <Button id='points-save' type='primary' onClick={() => void save()}>
              保存
            </Button>
          )}
          {saved && <View className='muted' id='points-saved'>已保存，下一单起生效</View>}
        </View>
      )}
    </View>
  );
}

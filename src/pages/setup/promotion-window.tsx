import { Picker, View } from '@tarojs/components';
import type { z } from 'zod';
import type { PromotionRequest } from '../../../shared/api/promotions';
import type { StoreDetail } from '../../../shared/api/staff-admin';
import { promotionRuleProblem } from '../../../shared/pricing/promotion-check';
import { call } from '../../services/api';
import { formErrors, schemaErrors, type FieldErrors } from './form';

/** Where and when a promotion runs, as its form holds it: the store choice (0 is every store) and two days. */
export interface PromotionWindow {
  storeIndex: number;
  startDate: string;
  endDate: string;
}

export const blank_window: PromotionWindow = { storeIndex: 0, startDate: '', endDate: '' };

/** The shop works in China time, so a day starts and ends at +08:00. */
function dayStart(date: string): string {
  return `${date}T00:00:00+08:00`;
}
function dayEnd(date: string): string {
  return `${date}T23:59:59+08:00`;
}

/** The request's storeId, startsAt and endsAt; each left out when the owner left it open. */
export function windowBody(w: PromotionWindow, stores: readonly StoreDetail[]): { storeId?: string; startsAt?: string; endsAt?: string } {
  const storeId = w.storeIndex > 0 ? stores[w.storeIndex - 1]?.id : undefined;
  return {
    ...(storeId ? { storeId } : {}),
    ...(w.startDate ? { startsAt: dayStart(w.startDate) } : {}),
    ...(w.endDate ? { endsAt: dayEnd(w.endDate) } : {}),
  };
}

interface Props {
  /** Prefix of the fields' ids (`promo`, `bundle`, `discount`). */
  idPrefix: string;
  stores: readonly StoreDetail[];
  value: PromotionWindow;
  onChange: (w: PromotionWindow) => void;
  errors: FieldErrors;
}

/** 门店, 开始日期 and 结束日期 of every promotion form (满减, 组合套餐, 限时折扣), with the server's reasons under each. */
export function PromotionWindowFields({ idPrefix, stores, value, onChange, errors }: Props) {
  const storeNames = ['全部门店', ...stores.map((s) => s.name)];
  const err = (path: string) => errors[path] && <View className='field-error'>{errors[path]}</View>;
  return (
    <View>
      <View className='s-label'>门店</View>
      <Picker mode='selector' range={storeNames} value={value.storeIndex} onChange={(e) => onChange({ ...value, storeIndex: Number(e.detail.value) })}>
        <View className='s-input' id={`${idPrefix}-store`}>
          {storeNames[value.storeIndex]}
        </View>
      </Picker>
      {err('storeId')}
      <View className='s-label'>开始日期（不填即日起）</View>
      <Picker mode='date' value={value.startDate} onChange={(e) => onChange({ ...value, startDate: String(e.detail.value) })}>
        <View className='s-input' id={`${idPrefix}-start`}>
          {value.startDate || '即日起'}
        </View>
      </Picker>
      {err('startsAt')}
      <View className='s-label'>结束日期（不填长期有效）</View>
      <Picker mode='date' value={value.endDate} onChange={(e) => onChange({ ...value, endDate: String(e.detail.value) })}>
        <View className='s-input' id={`${idPrefix}-end`}>
          {value.endDate || '长期'}
        </View>
      </Picker>
      {err('endsAt')}
    </View>
  );
}

/**
 * Saves a new promotion of any kind the way every form does: the kind's
 * shared schema, then the engine's rule check, each shown by its field
 * before anything is sent; then the server, whose reasons go by their
 * fields too. onSaved runs only when it was made.
 */
export async function savePromotion(body: PromotionRequest, schema: z.ZodType, setErrors: (e: FieldErrors) => void, onSaved: () => void): Promise<void> {
  const checked = schema.safeParse(body);
  if (!checked.success) return setErrors(schemaErrors(checked.error.issues));
  const problem = promotionRuleProblem(body);
  if (problem) return setErrors({ [problem.path]: problem.message });
  try {
    await call('createPromotion', { body, quiet: true });
    onSaved();
  } catch (error) {
    setErrors(formErrors(error));
  }
}

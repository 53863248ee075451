import { Button, Input, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { fen_amount_max, fenToYuan } from '../../../shared/money';
import type { Role } from '../../../shared/api/common';
import { returnLimitsRequest } from '../../../shared/api/returns';
import { discountLimitsRequest } from '../../../shared/api/discounts';
import { stockAlertSettings } from '../../../shared/api/stock-ops';
import { call, showError } from '../../services/api';
import { roleNames } from '../../services/roles';
import { fenOfField, formErrors, schemaErrors, setup_pages, staffOrSignIn, type FieldErrors } from './form';
import './setup.less';

/** The owner's limits by role, as text in the boxes: yuan for amounts, percent for shares. */
interface RoleRow {
  role: Role;
  perReturnYuan: string;
  perDayYuan: string;
  linePercent: string;
  orderPercent: string;
  handTotalYuan: string;
}

interface Form {
  rows: RoleRow[];
  noSaleDays: string;
  nearExpiryDays: string;
}

const roles_in_order: Role[] = ['assistant', 'manager', 'owner'];

/**
 * An amount as the box shows it: empty for "no limit", which the server keeps
 * as the largest amount it takes (the owner's own limits start that way).
 */
function yuanOrUnlimited(fen: number): string {
  return fen >= fen_amount_max ? '' : fenToYuan(fen);
}

/** An empty box is "no limit": the largest amount the field takes. */
function fenOrUnlimited(text: string, unlimited: number): number {
  return text.trim() === '' ? unlimited : fenOfField(text);
}

function numberOf(text: string, scale = 1): number {
  const n = Number(text.trim());
  return text.trim() === '' || !Number.isFinite(n) ? Number.NaN : Math.round(n * scale);
}

/**
 * 限额与预警: how much each role may refund per return and per day, how much
 * each may take off by hand (above it the counter asks a manager's code), and
 * after how many days a product without sales or near expiry raises a stock
 * alert. The owner sets them; a manager sees them. Each part saves on its
 * own, since each is its own rule on the server.
 */
export default function Limits() {
  const [form, setForm] = useState<Form | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [isOwner, setIsOwner] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [loadFailed, setLoadFailed] = useState(false);

  const load = () => {
    const staff = staffOrSignIn(setup_pages.limits);
    if (!staff) return;
    setIsOwner(staff.staff.role === 'owner');
    Promise.all([call('returnLimits'), call('discountLimits'), call('stockAlertSettings')])
      .then(([returns, discounts, alerts]) => {
        const rows = roles_in_order.map((role): RoleRow => {
          const r = returns.items.find((i) => i.role === role);
          const d = discounts.items.find((i) => i.role === role);
          return {
            role,
            perReturnYuan: r ? yuanOrUnlimited(r.perReturnFen) : '',
            perDayYuan: r ? yuanOrUnlimited(r.perDayFen) : '',
            linePercent: d ? String(d.lineBpMax / 100) : '',
            orderPercent: d ? String(d.orderBpMax / 100) : '',
            handTotalYuan: d ? yuanOrUnlimited(d.totalFenMax) : '',
          };
        });
        setForm({ rows, noSaleDays: String(alerts.noSaleDays), nearExpiryDays: String(alerts.nearExpiryDays) });
      })
      .catch((e: unknown) => {
        showError(e);
        setLoadFailed(true);
      });
  };
  useDidShow(load);

  /** Checks a part with the shared schema first, then saves it; field reasons come back under the part's own prefix. */
  const save = async (part: 'returns' | 'discounts' | 'alerts') => {
    if (!form) return;
    setErrors({});
    setSaved(null);
    try {
      if (part === 'returns') {
        const body = { items: form.rows.map((r) => ({ role: r.role, perReturnFen: fenOrUnlimited(r.perReturnYuan, Number.MAX_SAFE_INTEGER), perDayFen: fenOrUnlimited(r.perDayYuan, Number.MAX_SAFE_INTEGER) })) };
        const checked = returnLimitsRequest.safeParse(body);
        if (!checked.success) return setErrors(prefixed('returns', schemaErrors(checked.error.issues)));
        await call('setReturnLimits', { body, quiet: true });
      } else if (part === 'discounts') {
        const body = { limits: form.rows.map((r) => ({ role: r.role, lineBpMax: numberOf(r.linePercent, 100), orderBpMax: numberOf(r.orderPercent, 100), totalFenMax: fenOrUnlimited(r.handTotalYuan, fen_amount_max) })) };
        const checked = discountLimitsRequest.safeParse(body);
        if (!checked.success) return setErrors(prefixed('discounts', schemaErrors(checked.error.issues)));
        await call('saveDiscountLimits', { body, quiet: true });
      } else {
        const body = { noSaleDays: numberOf(form.noSaleDays), nearExpiryDays: numberOf(form.nearExpiryDays) };
        const checked = stockAlertSettings.safeParse(body);
        if (!checked.success) return setErrors(prefixed('alerts', schemaErrors(checked.error.issues)));
        await call('setStockAlertSettings', { body, quiet: true });
      }
      setSaved(part);
    } catch (error) {
      setErrors(prefixed(part, formErrors(error)));
    }
  };

  const setRow = (role: Role, key: keyof RoleRow, value: string) => setForm((f) => (f ? { ...f, rows: f.rows.map((r) => (r.role === role ? { ...r, [key]: value } : r)) } : f));

  /** One box of a role's row; its error key is the API's path (`items.0.perDayFen`) under the part's prefix. */
  const roleField = (part: string, row: RoleRow, index: number, key: keyof RoleRow, label: string, apiPath: string) => (
    <View>
      <View className='s-label'>{label}</View>
      <Input id={`limits-${row.role}-${key}`} className='s-input' type='digit' placeholder={key.endsWith('Yuan') ? '不限' : ''} disabled={!isOwner} value={row[key]} onInput={(e) => setRow(row.role, key, e.detail.value)} />
      {errors[`${part}.${apiPath.replace('#', String(index))}`] && <View className='field-error'>{errors[`${part}.${apiPath.replace('#', String(index))}`]}</View>}
    </View>
  );

  const saveButton = (part: 'returns' | 'discounts' | 'alerts') =>
    isOwner && (
      <>
        <Button id={`limits-save-${part}`} type='primary' onClick={() => void save(part)}>
          保存
        </Button>
        {saved === part && (
          <View className='muted' id={`limits-saved-${part}`}>
            已保存，立即生效
          </View>
        )}
        {errors[part] && <View className='field-error'>{errors[part]}</View>}
      </>
    );

  if (!form) {
    return (
      <View className='page'>
        <View className='section muted'>{loadFailed ? '限额没有读到，请返回后再进一次' : '加载中…'}</View>
      </View>
    );
  }
  return (
    <View className='page'>
      <View className='section' id='limits-returns'>
        <View className='section-title'>退货限额</View>
        <View className='muted'>超过限额的退货要店长或店主审批。</View>
        {form.rows.map((row, i) => (
          <View key={row.role} className='s-row'>
            <View>{roleNames[row.role]}</View>
            {roleField('returns', row, i, 'perReturnYuan', '每次退货最多（元）', 'items.#.perReturnFen')}
            {roleField('returns', row, i, 'perDayYuan', '每天退货合计最多（元）', 'items.#.perDayFen')}
          </View>
        ))}
        {saveButton('returns')}
      </View>

      <View className='section' id='limits-discounts'>
        <View className='section-title'>手工优惠限额</View>
        <View className='muted'>超过限额时，收银台要店长输入一次性审批码。</View>
        {form.rows.map((row, i) => (
          <View key={row.role} className='s-row'>
            <View>{roleNames[row.role]}</View>
            {roleField('discounts', row, i, 'linePercent', '单个商品最多优惠（%）', 'limits.#.lineBpMax')}
            {roleField('discounts', row, i, 'orderPercent', '整单最多优惠（%）', 'limits.#.orderBpMax')}
            {roleField('discounts', row, i, 'handTotalYuan', '每单手工优惠合计最多（元）', 'limits.#.totalFenMax')}
          </View>
        ))}
        {saveButton('discounts')}
      </View>

      <View className='section' id='limits-alerts'>
        <View className='section-title'>库存预警</View>
        <View className='s-label'>多少天没卖出算滞销</View>
        <Input id='limits-noSaleDays' className='s-input' type='number' disabled={!isOwner} value={form.noSaleDays} onInput={(e) => setForm((f) => (f ? { ...f, noSaleDays: e.detail.value } : f))} />
        {errors['alerts.noSaleDays'] && <View className='field-error'>{errors['alerts.noSaleDays']}</View>}
        <View className='s-label'>离保质期还剩几天提醒临期</View>
        <Input id='limits-nearExpiryDays' className='s-input' type='number' disabled={!isOwner} value={form.nearExpiryDays} onInput={(e) => setForm((f) => (f ? { ...f, nearExpiryDays: e.detail.value } : f))} />
        {errors['alerts.nearExpiryDays'] && <View className='field-error'>{errors['alerts.nearExpiryDays']}</View>}
        <View className='muted'>每个商品的最低、最高库存在“库存”的“上下限与批次”里按门店设置。</View>
        {saveButton('alerts')}
      </View>
    </View>
  );
}

/** Field reasons under a part's prefix; a reason for no field goes under the prefix itself. */
function prefixed(part: string, errors: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [path, message] of Object.entries(errors)) out[path ? `${part}.${path}` : part] = message;
  return out;
}

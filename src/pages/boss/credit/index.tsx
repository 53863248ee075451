import { Button, Input, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useState } from 'react';
import { formatFen, yuanToFen } from '../../../../shared/money';
import { call, sign_in_page } from '../../../services/api';
import { getSession } from '../../../services/session';
import { ratingLabel } from '../../../services/credit-view';
import { FieldRow } from '../components/field-row';
import '../ledger/index.less';
import './index.less';

type Customers = Awaited<ReturnType<typeof call<'tradeCustomers'>>>;
type Overdue = Awaited<ReturnType<typeof call<'creditOverdue'>>>;

/** Trade customers with what each owes, and the overdue invoices to chase. */
export default function Credit() {
  const [customers, setCustomers] = useState<Customers | null>(null);
  const [overdue, setOverdue] = useState<Overdue | null>(null);
  const [form, setForm] = useState({ name: '', limit: '', terms: '30' });

  const load = () => {
    if (!getSession('staff')) {
      void Taro.redirectTo({ url: `${sign_in_page}?redirect=${encodeURIComponent('/pages/boss/credit/index')}` });
      return Promise.resolve();
    }
    return Promise.all([call('tradeCustomers').then(setCustomers), call('creditOverdue').then(setOverdue)]).catch(() => undefined);
  };
  useDidShow(() => void load());
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  const create = async () => {
    let limit: number;
    try {
      limit = yuanToFen(form.limit || '0');
    } catch {
      void Taro.showToast({ title: '信用额度请填金额（元）', icon: 'none' });
      return;
    }
    const terms = Number(form.terms);
    await call('createTradeCustomer', { body: { name: form.name, creditLimitFen: limit, termsDays: Number.isInteger(terms) ? terms : -1 } });
    setForm({ name: '', limit: '', terms: '30' });
    void Taro.showToast({ title: '已添加', icon: 'success' });
    await load();
  };

  const total = customers?.items.reduce((s, c) => s + c.balanceFen, 0) ?? 0;
  return (
    <View className='page'>
      <View className='section'>
        <View className='section-title'>应收账款合计</View>
        <View className='credit-total' id='credit-total'>{formatFen(total)}</View>
        <View className='muted'>逾期 {formatFen(overdue?.totalFen ?? 0)}</View>
      </View>

      <View className='section' id='overdue'>
        <View className='section-title'>逾期提醒</View>
        {overdue && overdue.items.length === 0 && <View className='muted'>没有逾期的账单。</View>}
        {overdue?.items.map((o) => (
          <View key={o.invoiceId} className='row credit-row' onClick={() => void Taro.navigateTo({ url: `/pages/boss/credit/customer?id=${o.customerId}` })}>
            <View>
              <View>{o.customerName}</View>
              <View className='muted'>
                到期 {o.dueDate} · 逾期 {o.daysOverdue} 天 {o.phone ? `· ${o.phone}` : ''}
              </View>
            </View>
            <Text className='price overdue'>{formatFen(o.balanceFen)}</Text>
          </View>
        ))}
      </View>

      <View className='section' id='customers'>
        <View className='section-title'>商贸客户</View>
        {!customers && <View className='muted'>加载中…</View>}
        {customers && customers.items.length === 0 && <View className='muted'>还没有商贸客户，在下面添加。</View>}
        {customers?.items.map((c) => (
          <View key={c.id} className='row credit-row' data-customer={c.name} onClick={() => void Taro.navigateTo({ url: `/pages/boss/credit/customer?id=${c.id}` })}>
            <View>
              <View>
                {c.name} <Text className={`rating rating-${c.rating}`}>{c.rating === 'new' ? '新' : c.rating}</Text>
              </View>
              <View className='muted'>
                额度 {formatFen(c.creditLimitFen)} · 账期 {c.termsDays} 天 · {ratingLabel(c.rating)}
              </View>
            </View>
            <View className='credit-amount'>
              <View className='price'>{formatFen(c.balanceFen)}</View>
              {c.aging.totalFen - c.aging.current > 0 && <View className='overdue'>逾期 {formatFen(c.aging.totalFen - c.aging.current)}</View>}
            </View>
          </View>
        ))}
      </View>

      <View className='section'>
        <View className='section-title'>添加商贸客户</View>
        <FieldRow label='客户名称'>
          <Input id='customer-name' placeholder='如 东街便利店' value={form.name} onInput={(e) => setForm({ ...form, name: e.detail.value })} />
        </FieldRow>
        <FieldRow label='信用额度' unit='元'>
          <Input id='customer-limit' type='digit' placeholder='最多可欠' value={form.limit} onInput={(e) => setForm({ ...form, limit: e.detail.value })} />
        </FieldRow>
        <FieldRow label='账期' unit='天'>
          <Input id='customer-terms' type='number' placeholder='几天内结清' value={form.terms} onInput={(e) => setForm({ ...form, terms: e.detail.value })} />
        </FieldRow>
        <Button className='credit-button' onClick={() => void create().catch(() => undefined)}>
          添加
        </Button>
      </View>
    </View>
  );
}

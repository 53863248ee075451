import { Button, Input, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useRef, useState } from 'react';
import type { AgingResponse, PayableView, PurchasesReportResponse } from '../../../../shared/api/purchasing';
import { newId } from '../../../../shared/ids';
import { formatFen, yuanToFen } from '../../../../shared/money';
import { call } from '../../../services/api';
import { ApiError } from '../../../services/errors';
import { aging_bucket_labels, aging_buckets, monthToDate, shanghaiDay } from '../../../services/purchasing';
import { purchasing_pages, staffOrSignIn } from './session';
import './purchasing.less';

/** What is owed to suppliers, by how overdue; paying one; and this month's purchases by supplier. */
export default function Payables() {
  const [aging, setAging] = useState<AgingResponse | null>(null);
  const [open, setOpen] = useState<PayableView[]>([]);
  const [report, setReport] = useState<PurchasesReportResponse | null>(null);
  const [paying, setPaying] = useState<string | null>(null);
  const [amount, setAmount] = useState('');
  const [error, setError] = useState('');
  const attempt = useRef<{ id: string; fingerprint: string } | null>(null);

  const load = () => {
    if (!staffOrSignIn(purchasing_pages.payables)) return Promise.resolve();
    const period = monthToDate(shanghaiDay(new Date()));
    return Promise.all([
      call('payablesAging').then(setAging),
      call('payables').then((r) => setOpen(r.items)),
      call('purchasesReport', { query: { ...period, groupBy: 'supplier' } }).then(setReport),
    ]).catch(() => undefined);
  };
  useDidShow(() => void load());
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  const pay = async (supplierId: string, owed: number) => {
    let amountFen: number;
    try {
      amountFen = yuanToFen(amount);
    } catch {
      return setError('请输入金额，如 100.00');
    }
    if (amountFen <= 0 || amountFen > owed) return setError(`付款须大于 0，且不超过应付 ${formatFen(owed)}`);
    setError('');
    const body = { supplierId, amountFen, method: 'bank' as const };
    const fingerprint = JSON.stringify(body);
    const id = attempt.current?.fingerprint === fingerprint ? attempt.current.id : newId('supplierPayment');
    attempt.current = { id, fingerprint };
    try {
      await call('paySupplier', { body: { ...body, id } });
      attempt.current = null;
      setPaying(null);
      setAmount('');
      void Taro.showToast({ title: '已付款', icon: 'success' });
      void load();
    } catch (e) {
      if (e instanceof ApiError && e.status !== 0) attempt.current = null;
    }
  };

  return (
    <View className='page'>
      <View className='section' id='aging-totals'>
        <View className='muted'>应付合计 · 截至 {aging?.asOf ?? ''}</View>
        <Text className='figure' id='payables-total'>{aging ? formatFen(aging.totals.totalFen) : '…'}</Text>
        <View className='bucket-grid'>
          {aging_buckets.map((b) => (
            <View key={b} className='bucket'>
              <View className='muted'>{aging_bucket_labels[b]}</View>
              <Text className={b !== 'current' && aging && aging.totals[b] > 0 ? 'overdue' : ''}>{aging ? formatFen(aging.totals[b]) : ''}</Text>
            </View>
          ))}
        </View>
      </View>
      <View className='section' id='aging-suppliers'>
        <View className='section-title'>按供应商</View>
        {aging?.items.length === 0 && <View className='muted empty'>没有未付的应付款。收货后按供应商账期生成应付款。</View>}
        {aging?.items.map((s) => (
          <View key={s.supplierId} className='payable-row' data-supplier-id={s.supplierId}>
            <View className='row'>
              <Text>{s.supplierName}</Text>
              <Text className='price supplier-owed'>{formatFen(s.totalFen)}</Text>
            </View>
            <View className='muted'>
              {aging_buckets.filter((b) => s[b] !== 0).map((b) => `${aging_bucket_labels[b]} ${formatFen(s[b])}`).join(' · ')}
            </View>
            {paying === s.supplierId ? (
              <View className='row'>
                <Input className='p-input grow pay-amount' type='digit' placeholder='付款金额（元）' value={amount} onInput={(e) => setAmount(e.detail.value)} />
                <Button size='mini' type='primary' className='pay-confirm' onClick={() => void pay(s.supplierId, s.totalFen)}>确认付款</Button>
              </View>
            ) : (
              <View className='row'>
                <Text className='link statement-open' onClick={() => void Taro.navigateTo({ url: `${purchasing_pages.statement}?supplierId=${s.supplierId}` })}>对账单 ›</Text>
                <Text className='link pay-open' onClick={() => { setPaying(s.supplierId); setAmount(''); setError(''); }}>付款</Text>
              </View>
            )}
            {paying === s.supplierId && error && <View className='form-error'>{error}</View>}
          </View>
        ))}
      </View>
      <View className='section' id='open-payables'>
        <View className='section-title'>未结清应付款（先到期的在前）</View>
        {open.map((p) => (
          <View key={p.id} className='row payable-row' data-payable-id={p.id} onClick={() => void Taro.navigateTo({ url: `${purchasing_pages.order}?id=${p.poId}` })}>
            <View>
              <View>{p.supplierName}</View>
              <View className={p.daysOverdue > 0 ? 'overdue' : 'muted'}>
                收货 {p.businessDate} · 到期 {p.dueDate}{p.daysOverdue > 0 ? ` · 逾期 ${p.daysOverdue} 天` : ''}
              </View>
            </View>
            <Text className='price'>{formatFen(p.balanceFen)}</Text>
          </View>
        ))}
      </View>
      <View className='section' id='purchases-report'>
        <View className='section-title'>本月采购（按供应商，进价）</View>
        {report?.items.length === 0 && <View className='muted'>本月还没有收货。</View>}
        {report?.items.map((r) => (
          <View key={r.key} className='row payable-row'>
            <View>
              <View>{r.name}</View>
              <View className='muted'>收 {r.receivedQty} 件{r.returnedQty > 0 ? ` · 退 ${r.returnedQty} 件` : ''}</View>
            </View>
            <Text className='price'>{formatFen(r.netFen)}</Text>
          </View>
        ))}
        {report && report.items.length > 0 && (
          <View className='row'>
            <Text>合计</Text>
            <Text className='price' id='purchases-total'>{formatFen(report.totals.netFen)}</Text>
          </View>
        )}
      </View>
    </View>
  );
}

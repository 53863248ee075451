import { Button, Input, Picker, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { formatFen, yuanToFen } from '../../../../shared/money';
import { newId } from '../../../../shared/ids';
import { call, sign_in_page } from '../../../services/api';
import { getSession } from '../../../services/session';
import { agingRows, beijingToday, monthToDate, ratingLabel } from '../../../services/credit-view';
import '../ledger/index.less';
import './index.less';
import { ApprovalForm } from './approval-form';

type Customer = Awaited<ReturnType<typeof call<'tradeCustomer'>>>['customer'];
type Statement = Awaited<ReturnType<typeof call<'customerStatement'>>>;
type Invoices = Awaited<ReturnType<typeof call<'customerInvoices'>>>['items'];

const kind_labels = { invoice: '赊销', return: '退货冲减', receipt: '收款' } as const;
const methods = [
  ['cash', '现金'],
  ['bank', '银行转账'],
] as const;

/** One trade customer: balance, aging, rating, the period's statement, open invoices and receipts entry. */
export default function CustomerDetail() {
  const id = useRouter().params.id ?? '';
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [statement, setStatement] = useState<Statement | null>(null);
  const [invoices, setInvoices] = useState<Invoices>([]);
  const [period, setPeriod] = useState(() => monthToDate(beijingToday()));
  const [amount, setAmount] = useState('');
  const [method, setMethod] = useState(0);
  // One id per receipt being entered, so a retry after a lost answer does not collect twice.
  const [receiptId, setReceiptId] = useState(() => newId('customerReceipt'));

  const load = (p = period) => {
    if (!getSession('staff')) {
      void Taro.redirectTo({ url: `${sign_in_page}?redirect=${encodeURIComponent(`/pages/boss/credit/customer?id=${id}`)}` });
      return Promise.resolve();
    }
    return Promise.all([
      call('tradeCustomer', { params: { customerId: id } }).then((r) => setCustomer(r.customer)),
      call('customerStatement', { params: { customerId: id }, query: p }).then(setStatement),
      call('customerInvoices', { params: { customerId: id } }).then((r) => setInvoices(r.items)),
    ]).catch(() => undefined);
  };
  useDidShow(() => void load());
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  const collect = async () => {
    const staff = getSession('staff');
    const storeId = staff?.stores[0]?.id;
    if (!storeId) return;
    let fen: number;
    try {
      fen = yuanToFen(amount);
    } catch {
      void Taro.showToast({ title: '请填写收款金额（元）', icon: 'none' });
      return;
    }
    await call('customerReceipt', { params: { customerId: id }, body: { clientReceiptId: receiptId, storeId, method: methods[method]![0], amountFen: fen } });
    setReceiptId(newId('customerReceipt'));
    setAmount('');
    void Taro.showToast({ title: '已收款', icon: 'success' });
    await load();
  };

  const changePeriod = (key: 'from' | 'to', value: string) => {
    const next = { ...period, [key]: value };
    setPeriod(next);
    void load(next);
  };

  if (!customer) return <View className='page'><View className='section muted'>加载中…</View></View>;
  const open = invoices.filter((i) => i.balanceFen > 0);
  return (
    <View className='page'>
      <View className='section' id='customer-summary'>
        <View className='section-title'>
          {customer.name} <Text className={`rating rating-${customer.rating}`}>{customer.rating === 'new' ? '新' : customer.rating}</Text>
        </View>
        <View className='credit-total' id='customer-balance'>{formatFen(customer.balanceFen)}</View>
        <View className='muted'>
          额度 {formatFen(customer.creditLimitFen)} · 可用 {formatFen(customer.availableFen)} · 账期 {customer.termsDays} 天 · {ratingLabel(customer.rating)}
        </View>
      </View>

      <View className='section' id='aging'>
        <View className='section-title'>账龄</View>
        {agingRows(customer.aging).map((r) => (
          <View key={r.key} className='row statement-line' data-bucket={r.key}>
            <Text>{r.label}</Text>
            <Text className={r.key !== 'current' && r.fen > 0 ? 'overdue' : ''}>{formatFen(r.fen)}</Text>
          </View>
        ))}
      </View>

      <View className='section' id='receipt-entry'>
        <View className='section-title'>收款</View>
        <Input className='credit-input' id='receipt-amount' type='digit' placeholder='收款金额（元），先冲最早的账单' value={amount} onInput={(e) => setAmount(e.detail.value)} />
        <Picker mode='selector' range={methods.map((m) => m[1])} value={method} onChange={(e) => setMethod(Number(e.detail.value))}>
          <View className='credit-input'>收款方式：{methods[method]![1]}</View>
        </Picker>
        <Button className='credit-button' id='receipt-submit' onClick={() => void collect().catch(() => undefined)}>
          确认收款
        </Button>
      </View>

      <ApprovalForm customerId={customer.id} customerName={customer.name} />

      <View className='section' id='open-invoices'>
        <View className='section-title'>未结账单</View>
        {open.length === 0 && <View className='muted'>没有未结账单。</View>}
        {open.map((i) => (
          <View key={i.id} className='row statement-line'>
            <View>
              <View>小票 {i.receiptNo ?? i.orderId}</View>
              <View className='muted'>
                {i.issuedDate} 开 · {i.dueDate} 到期{i.daysOverdue > 0 ? ` · 逾期 ${i.daysOverdue} 天` : ''}
              </View>
            </View>
            <Text className={i.daysOverdue > 0 ? 'overdue' : ''}>{formatFen(i.balanceFen)}</Text>
          </View>
        ))}
      </View>

      {statement && (
        <View className='section' id='statement'>
          <View className='section-title'>对账单</View>
          <View className='row'>
            <Picker mode='date' value={period.from} onChange={(e) => changePeriod('from', e.detail.value)}>
              <Text>{period.from}</Text>
            </Picker>
            <Text className='muted'>至</Text>
            <Picker mode='date' value={period.to} onChange={(e) => changePeriod('to', e.detail.value)}>
              <Text>{period.to}</Text>
            </Picker>
          </View>
          <View className='row statement-line'>
            <Text>期初余额</Text>
            <Text id='statement-opening'>{formatFen(statement.openingFen)}</Text>
          </View>
          {statement.lines.map((l) => (
            <View key={`${l.kind}-${l.ref}-${l.date}`} className='row statement-line'>
              <View>
                <View>{kind_labels[l.kind]}</View>
                <View className='muted'>{l.date}</View>
              </View>
              <Text>{l.debitFen > 0 ? `+${formatFen(l.debitFen)}` : `-${formatFen(l.creditFen)}`}</Text>
              <Text className='muted'>{formatFen(l.balanceFen)}</Text>
            </View>
          ))}
          <View className='row statement-line'>
            <Text>赊销 +{formatFen(statement.invoicedFen)} · 退货 -{formatFen(statement.returnedFen)} · 收款 -{formatFen(statement.receivedFen)}</Text>
          </View>
          <View className='row statement-line'>
            <Text>期末余额</Text>
            <Text id='statement-closing'>{formatFen(statement.closingFen)}</Text>
          </View>
          <View className='muted'>
            应收周转天数（DSO）：{statement.dsoDays === null ? '本期无赊销' : `${statement.dsoDays} 天`} ·{' '}
            {statement.rating.dueCount === 0 ? '尚无到期账单' : `到期 ${statement.rating.dueCount} 笔，准时付款 ${statement.rating.onTimeBp / 100}%，平均迟付 ${statement.rating.avgDaysLate} 天`}
          </View>
        </View>
      )}
    </View>
  );
}

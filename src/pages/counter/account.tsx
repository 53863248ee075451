import { Button, Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useMemo, useState } from 'react';
import { formatFen } from '../../../shared/money';
import { isPricingError, priceOrder } from '../../../shared/pricing';
import type { TradeCustomerView } from '../../../shared/api/credit';
import { call } from '../../services/api';
import { pricingInputFor, type CounterBill } from '../../services/counter-cart';
import type { PricingResult } from '../../../shared/pricing/types';
import {
  accountCheckoutRequest,
  billAtCustomerPrices,
  counter_account_billed_event,
  creditCheck,
  forgetHandedBill,
  handedBill,
  matchCustomers,
  parseApprovalId,
  signedFen,
  type CustomerSummary,
} from '../../services/counter-account';
import { deviceId } from '../../services/outbox-store';
import { busyProps } from '../../services/stock-ops';
import { useCounterProfile } from './hooks';
import { useCheckout } from './parts/use-checkout';
import './counter.less';
import './account.less';

const isH5 = process.env.TARO_ENV === 'h5';

async function scanApproval(): Promise<string | null> {
  try {
    const res = (await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] })) as { result?: string; code?: string };
    return (res.result ?? res.code ?? '').trim() || null;
  } catch {
    return null;
  }
}

/** 赊账: the bill from the billing screen goes on a trade customer's account, within the limit or with a manager's approval. */
export default function AccountSale() {
  const { profile } = useCounterProfile('/pages/counter/index');
  const handed = useMemo(() => handedBill(), []);
  const [customers, setCustomers] = useState<CustomerSummary[] | null>(null);
  const [typed, setTyped] = useState('');
  const [customer, setCustomer] = useState<TradeCustomerView | null>(null);
  const [approvalText, setApprovalText] = useState('');
  const [refusal, setRefusal] = useState('');
  const checkout = useCheckout();
  const isManager = profile?.role === 'owner' || profile?.role === 'manager';

  useEffect(() => {
    call('tradeCustomers')
      .then((r) => setCustomers(r.items))
      .catch(() => setCustomers([]));
  }, []);

  const load = async (id: string) => {
    try {
      setCustomer((await call('tradeCustomer', { params: { customerId: id } })).customer);
    } catch {
      // call() has shown the reason.
    }
  };

  const pick = (id: string) => {
    setRefusal('');
    setApprovalText('');
    void load(id);
  };

  const priced = useMemo((): { bill: CounterBill; result: PricingResult } | { error: string } | null => {
    if (!handed || !customer) return null;
    try {
      const bill = billAtCustomerPrices(handed.bill, customer.prices);
      return { bill, result: priceOrder(pricingInputFor(bill, handed.context, { member: null, pointsToRedeem: 0, cashTender: false })) };
    } catch (e) {
      if (isPricingError(e)) return { error: e.message };
      throw e;
    }
  }, [handed, customer]);

  if (!handed || handed.bill.lines.length === 0) {
    return (
      <View className='page counter'>
        <View className='section muted'>没有要赊账的单子，请回到开单页添加商品。</View>
      </View>
    );
  }

  const result = priced && 'result' in priced ? priced.result : null;
  const check = customer && result ? creditCheck(customer, result.totalFen) : null;
  const approvalId = approvalText.trim() === '' ? null : parseApprovalId(approvalText);

  const submit = async () => {
    if (checkout.busy || !customer || !priced || !('result' in priced) || !check) return;
    if (approvalText.trim() !== '' && !approvalId) {
      setRefusal('审批号格式不对：应为 cap_ 加 26 位字母数字，请核对店长给的审批号');
      return;
    }
    if (check.overByFen > 0 && !approvalId) {
      const ok = await Taro.showModal({
        title: '超出信用额度',
        content: isManager
          ? `本单赊账后 ${customer.name} 将欠 ${formatFen(check.owedAfterFen)}，超出额度 ${formatFen(check.overByFen)}。你是${profile?.role === 'owner' ? '店主' : '店长'}，确认赊账并记入审计？`
          : `本单赊账后 ${customer.name} 将欠 ${formatFen(check.owedAfterFen)}，超出额度 ${formatFen(check.overByFen)}，需要店长审批号。没有审批号会被拒绝，仍要提交吗？`,
        confirmText: isManager ? '确认赊账' : '仍要提交',
      });
      if (!ok.confirm) return;
    }
    const draft = { storeId: handed.storeId, deviceId: deviceId(), customerId: customer.id, totalFen: priced.result.totalFen, approvalId };
    setRefusal('');
    await checkout.submit((clientOrderId) => accountCheckoutRequest(priced.bill, { ...draft, clientOrderId }), {
      placed: (order) => {
        forgetHandedBill();
        Taro.eventCenter.trigger(counter_account_billed_event, order.id);
        void Taro.redirectTo({ url: `/pages/counter/receipt?orderId=${order.id}&customerId=${customer.id}` });
      },
      priceMismatch: () => setRefusal('价格或促销刚刚更新，请返回开单页核对后再赊账'),
      refused: (e) => {
        setRefusal(e.message);
        // What the customer owes may have changed since it was read.
        if (e.code === 'credit_limit_exceeded') void load(customer.id);
      },
      unanswered: (e) => setRefusal(e.message),
    });
  };

  return (
    <View className='page counter'>
      <View className='section' id='account-customer'>
        <View className='section-title'>赊账客户</View>
        {customer ? (
          <View id='customer-card'>
            <View className='row'>
              <Text className='product-name' id='customer-name'>
                {customer.name}
                {customer.phone ? ` · ${customer.phone}` : ''}
              </Text>
              <Text className='link' id='customer-change' onClick={() => setCustomer(null)}>
                换客户
              </Text>
            </View>
            <View className='credit-grid'>
              <View className='credit-cell'>
                <View className='muted'>信用额度</View>
                <View id='credit-limit'>{formatFen(customer.creditLimitFen)}</View>
              </View>
              <View className='credit-cell'>
                <View className='muted'>已欠款</View>
                <View id='credit-balance'>{formatFen(customer.balanceFen)}</View>
              </View>
              <View className='credit-cell'>
                <View className='muted'>可用额度</View>
                <View id='credit-available' className={customer.availableFen < 0 ? 'offline-tag' : ''}>
                  {signedFen(customer.availableFen)}
                </View>
              </View>
            </View>
            <View className='muted'>账期 {customer.termsDays} 天{customer.prices.length > 0 ? ` · 按客户价 ${customer.prices.length} 个商品` : ' · 按零售价'}</View>
          </View>
        ) : (
          <View>
            <Input id='customer-search' className='counter-input' placeholder='搜索客户名称、联系人或电话' value={typed} onInput={(e) => setTyped(e.detail.value)} />
            {customers === null && <View className='muted'>加载客户…</View>}
            {customers && matchCustomers(customers, typed).length === 0 && <View className='muted'>没有匹配的商贸客户（店长可在「老板」→ 商贸客户里添加）</View>}
            {customers &&
              matchCustomers(customers, typed).map((c) => (
                <View key={c.id} className='product-row customer-option' data-customer={c.name} onClick={() => pick(c.id)}>
                  <View>
                    <View className='product-name'>{c.name}</View>
                    <View className='muted'>{[c.contact, c.phone].filter(Boolean).join(' · ') || '—'}</View>
                  </View>
                  <View className='credit-amount'>
                    <View className='muted'>可用</View>
                    <Text className={c.availableFen <= 0 ? 'offline-tag' : ''}>{signedFen(c.availableFen)}</Text>
                  </View>
                </View>
              ))}
          </View>
        )}
      </View>

      {customer && priced && 'error' in priced && <View className='section offline-tag'>{priced.error}</View>}
      {customer && result && check && (
        <View className='section' id='account-bill'>
          {priced && 'bill' in priced &&
            priced.bill.lines.map((l, i) => (
              <View key={l.skuId} className='row preview-row account-line'>
                <Text className='grow'>
                  {l.name}
                  {l.spec ? ` ${l.spec}` : ''} × {l.qty}
                </Text>
                <Text>{formatFen(result.lines[i]?.netFen ?? 0)}</Text>
              </View>
            ))}
          <View className='row total-row'>
            <Text className='section-title'>赊账金额</Text>
            <Text id='account-total' className='price total'>
              {formatFen(result.totalFen)}
            </Text>
          </View>
          <View className='row'>
            <Text>赊账后剩余额度</Text>
            <Text id='credit-left' className={check.leftAfterFen < 0 ? 'offline-tag' : ''}>
              {signedFen(check.leftAfterFen)}
            </Text>
          </View>

          {check.overByFen > 0 && (
            <View id='credit-warning' className='credit-warning'>
              <View className='credit-warning-title'>超出信用额度 {formatFen(check.overByFen)}</View>
              {isManager ? (
                <View>赊账后将欠 {formatFen(check.owedAfterFen)}，额度 {formatFen(customer.creditLimitFen)}。你可以直接赊账，会记入审计。</View>
              ) : (
                <View>
                  <View>
                    赊账后将欠 {formatFen(check.owedAfterFen)}，额度 {formatFen(customer.creditLimitFen)}，需要店长审批：请店长在手机上打开「老板」→ 商贸客户 → {customer.name} →「超额赊账审批」，批准至少 {formatFen(result.totalFen)}，再把审批号发给你（15 分钟内有效，只能用一次）。
                  </View>
                  <View className='row'>
                    <Input id='approval-id' className='counter-input grow' placeholder='粘贴或输入店长审批号' value={approvalText} onInput={(e) => setApprovalText(e.detail.value)} />
                    {!isH5 && (
                      <Button size='mini' onClick={() => void scanApproval().then((c) => (c ? setApprovalText(c) : undefined))}>
                        扫码
                      </Button>
                    )}
                  </View>
                  {approvalText.trim() !== '' && <View className={approvalId ? 'muted' : 'offline-tag'}>{approvalId ? `审批号 ${approvalId}` : '审批号格式不对'}</View>}
                </View>
              )}
            </View>
          )}

          {refusal !== '' && (
            <View id='account-error' className='credit-refusal'>
              {refusal}
            </View>
          )}

          <Button id='account-submit' type='primary' {...busyProps(checkout.busy, true)} onClick={() => void submit()}>
            赊账 {formatFen(result.totalFen)}
          </Button>
        </View>
      )}
    </View>
  );
}

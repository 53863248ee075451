import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useMemo, useState } from 'react';
import { formatFen } from '../../../shared/money';
import { isPricingError, priceOrder } from '../../../shared/pricing/index';
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
  parseApprovalId,
  type CustomerSummary,
} from '../../services/counter-account';
import { deviceId } from '../../services/outbox-store';
import { useCounterProfile } from './hooks';
import { AccountBill } from './parts/account-bill';
import { AccountCustomer } from './parts/account-customer';
import { useCheckout } from './parts/use-checkout';
import './counter.less';
import './account.less';

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
        void Taro.redirectTo({ url: `/pages/counter/receipt?orderId=${order.id}&sold=1&customerId=${customer.id}` });
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
      <AccountCustomer customer={customer} customers={customers} typed={typed} onTyped={setTyped} onPick={pick} onChange={() => setCustomer(null)} />
      {customer && priced && 'error' in priced && <View className='section offline-tag'>{priced.error}</View>}
      {customer && priced && 'result' in priced && check && (
        <AccountBill
          customer={customer}
          bill={priced.bill}
          result={priced.result}
          check={check}
          isManager={isManager}
          approvalText={approvalText}
          onApprovalText={setApprovalText}
          approvalId={approvalId}
          refusal={refusal}
          busy={checkout.busy}
          onSubmit={() => void submit()}
        />
      )}
    </View>
  );
}

import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { ProductSummary, SkuSummary } from '../../../shared/api/catalog';
import { showError } from '../../services/api';
import { counter_account_billed_event, handOverBill } from '../../services/counter-account';
import { addToBill, checkoutRequestFor, emptyBill, lineFor, type CounterBill } from '../../services/counter-cart';
import { cancelledNoteOf, counter_cancelled_event, counter_paid_event, openOrderRequestFor, type CounterCancelled } from '../../services/counter-pay';
import { markOffline } from '../../services/counter-network';
import { deviceId } from '../../services/outbox-store';
import { noteOnline, useCounterProfile, useOnline, useOutboxCounts, usePickupCount } from './hooks';
import { CartPanel } from './parts/cart-panel';
import { CheckoutPanel } from './parts/checkout-panel';
import { CounterHeader } from './parts/counter-header';
import { ShiftBanner } from './parts/shift-banner';
import { DiscountApproval } from './parts/discount-approval';
import { MemberPanel, useMemberDraft } from './parts/member-panel';
import { billOffline } from './parts/offline-bill';
import { ProductSearch } from './parts/product-search';
import { useCheckout } from './parts/use-checkout';
import { emptyTenderDraft, type TenderDraft } from '../../services/counter-tenders';
import { useBillPricing, usePricingContext } from './parts/use-pricing';
import './counter.less';

/** The billing screen: goods, member and discounts make a bill, which is paid in cash, by card or e-CNY (alone or with cash), by WeChat Pay / Alipay, or on account (赊账). */
export default function Billing() {
  const { profile, store, storeChanged } = useCounterProfile('/pages/counter/index');
  const online = useOnline();
  const outboxCounts = useOutboxCounts();
  const storeId = store?.id ?? '';
  const pricing = usePricingContext(storeId);
  const pickupCount = usePickupCount(storeId, online);
  const memberDraft = useMemberDraft();
  const { member, pointsToRedeem } = memberDraft;
  const [bill, setBill] = useState<CounterBill>(emptyBill);
  const [tender, setTender] = useState<TenderDraft>(emptyTenderDraft);
  const [cancelNote, setCancelNote] = useState('');
  const [approvalCode, setApprovalCode] = useState('');
  const priced = useBillPricing(bill, pricing.context, member, pointsToRedeem, tender);
  const { result, nonCashResult, platformTotalFen, totalFen, choice } = priced;
  const cash = useCheckout();
  const platform = useCheckout();

  const reset = () => {
    setBill(emptyBill);
    memberDraft.clear();
    setTender(emptyTenderDraft);
    cash.forget();
    platform.forget();
    setCancelNote('');
    setApprovalCode('');
  };

  // The payment screen says when the open order is paid; only then is the bill done.
  useEffect(() => {
    const paid = (orderId: string) => {
      if (platform.attemptId() === orderId) reset();
    };
    // A cancelled open order keeps the cart: the customer pays cash for it, or the assistant changes it.
    const cancelled = ({ orderId, reason }: CounterCancelled) => {
      if (platform.attemptId() !== orderId) return;
      platform.forget();
      setCancelNote(cancelledNoteOf(reason));
    };
    Taro.eventCenter.on(counter_paid_event, paid);
    Taro.eventCenter.on(counter_cancelled_event, cancelled);
    return () => {
      Taro.eventCenter.off(counter_paid_event, paid);
      Taro.eventCenter.off(counter_cancelled_event, cancelled);
    };
  });

  // A sale on account (赊账) is made on its own screen from this bill; once made, the bill is done.
  useEffect(() => {
    Taro.eventCenter.on(counter_account_billed_event, reset);
    return () => void Taro.eventCenter.off(counter_account_billed_event, reset);
  });

  const addSku = (product: ProductSummary, sku: SkuSummary) => setBill((b) => addToBill(b, lineFor(product, sku)));

  const billOnAccount = () => {
    if (!store || bill.lines.length === 0) return;
    handOverBill({ bill, storeId: store.id, context: pricing.context });
    void Taro.navigateTo({ url: '/pages/counter/account' });
  };

  /** An open order for WeChat Pay or Alipay: stock held and priced on the server, then the payment screen. */
  const payByPlatform = async () => {
    if (platform.busy || !store || !result || platformTotalFen === null) return;
    const draft = { storeId: store.id, deviceId: deviceId(), memberId: member?.id ?? null, pointsToRedeem: result.pointsRedeemed > 0 ? pointsToRedeem : 0, expectedTotalFen: platformTotalFen, ...(approvalCode.length === 6 ? { discountApprovalCode: approvalCode } : {}) };
    await platform.submit((clientOrderId) => openOrderRequestFor(bill, { ...draft, clientOrderId }), {
      placed: (order) => {
        noteOnline();
        void Taro.navigateTo({ url: `/pages/counter/pay?orderId=${order.id}` });
      },
      priceMismatch: pricing.priceChanged,
      refused: showError,
      unanswered: (e) => {
        markOffline();
        showError(e);
      },
    });
  };

  /** Cash, card, e-CNY or a card/e-CNY part with cash: one checkout, or a sale billed offline into the outbox. */
  const checkout = async () => {
    if (cash.busy || !store || !result) return;
    if (!choice?.ok) {
      void Taro.showToast({ title: choice?.reason ?? '请先完成收款信息', icon: 'none' });
      return;
    }
    // Without cash the bill is priced without 抹零, exactly as the server prices it.
    const charged = choice.withCash ? result : (nonCashResult ?? result);
    const draft = { storeId: store.id, deviceId: deviceId(), member, pointsToRedeem: charged.pointsRedeemed > 0 ? pointsToRedeem : 0, cashReceivedFen: choice.plan.cashReceivedFen ?? 0, expectedTotalFen: choice.totalFen, tenders: choice.tenders, ...(approvalCode.length === 6 ? { discountApprovalCode: approvalCode } : {}) };
    await cash.submit((clientOrderId) => checkoutRequestFor(bill, { ...draft, clientOrderId }), {
      placed: (order) => {
        noteOnline();
        reset();
        void Taro.navigateTo({ url: `/pages/counter/receipt?orderId=${order.id}` });
      },
      priceMismatch: pricing.priceChanged,
      refused: showError,
      offline: {
        online,
        bill: (request, triedOnline) => {
          if (!profile || !billOffline({ request, result: charged, bill, ruleNames: priced.ruleNames, profile, store, member, triedOnline, tenders: choice.plan })) return;
          reset();
          void Taro.navigateTo({ url: `/pages/counter/receipt?outboxId=${request.clientOrderId}` });
        },
      },
    });
  };

  return (
    <View className='page counter'>
      <CounterHeader
        profile={profile}
        store={store}
        online={online}
        outboxCounts={outboxCounts}
        pickupCount={pickupCount}
        onStoreChosen={() => {
          storeChanged();
          reset();
        }}
      />
      <ShiftBanner storeId={storeId} online={online} />
      <ProductSearch storeId={storeId} online={online} onAdd={addSku} />
      <CartPanel bill={bill} onBill={setBill} preview={priced.preview} member={member} />
      <MemberPanel draft={memberDraft} context={pricing.context} online={online} />
      <DiscountApproval result={result} role={profile?.role} code={approvalCode} onCode={setApprovalCode} />
      <CheckoutPanel
        online={online}
        hasLines={bill.lines.length > 0}
        pricingNote={pricing.note}
        pricingError={priced.pricingError}
        cancelNote={cancelNote}
        preview={priced.preview}
        totalFen={totalFen}
        platformTotalFen={platformTotalFen}
        chargeable={result !== null}
        tender={tender}
        onTender={setTender}
        choice={choice}
        cash={{ busy: cash.busy, pay: () => void checkout() }}
        platform={{ busy: platform.busy, pay: () => void payByPlatform() }}
        onAccount={billOnAccount}
      />
    </View>
  );
}

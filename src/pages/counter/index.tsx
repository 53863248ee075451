import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import type { ProductSummary, SkuSummary } from '../../../shared/api/catalog';
import { showError } from '../../services/api';
import { counter_account_billed_event, handOverBill } from '../../services/counter-account';
import { addToBill, billCount, checkoutRequestFor, emptyBill, lineFor, setOrderDiscount, type CounterBill } from '../../services/counter-cart';
import { cancelledNoteOf, counter_cancelled_event, counter_paid_event, openOrderRequestFor, type CounterCancelled } from '../../services/counter-pay';
import { markOffline } from '../../services/counter-network';
import { deviceId } from '../../services/outbox-store';
import { noteOnline, useCounterProfile, useOnline, useOutboxCounts, usePickupCount } from './hooks';
import { CartPanel } from './parts/cart-panel';
import { CartSheet } from './parts/cart-sheet';
import { AddFlash, CounterBar } from './parts/counter-bar';
import { OrderDiscount } from './parts/order-discount';
import { CheckoutPanel } from './parts/checkout-panel';
import { CounterHeader } from './parts/counter-header';
import { ShiftBanner } from './parts/shift-banner';
import { DiscountApproval } from './parts/discount-approval';
import { MemberPanel, useMemberDraft } from './parts/member-panel';
import { billOffline } from './parts/offline-bill';
import { ProductSearch } from './parts/product-search';
import { useCheckout } from './parts/use-checkout';
import { dueFenOf, emptyTenderDraft, type TenderDraft } from '../../services/counter-tenders';
import { useBillPricing, usePricingContext } from './parts/use-pricing';
import './counter.less';

/** How long the note that an item was added stays above the bar: long enough to read a product name, short enough not to cover the next one. */
const add_flash_ms = 1500;

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
  const priced = useBillPricing(bill, pricing.context, member, pointsToRedeem, tender, memberDraft.coupon?.rule ?? null, memberDraft.storedValueFen);
  const { result, nonCashResult, platformTotalFen, totalFen, choice } = priced;
  const cash = useCheckout();
  const platform = useCheckout();
  // The cart sheet, and where it opens: at the top (the lines) or at the payment part (`preview`).
  const [sheet, setSheet] = useState<{ open: boolean; at: string }>({ open: false, at: '' });
  const [flash, setFlash] = useState<{ text: string; key: number } | null>(null);
  const flashTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const count = billCount(bill);

  const reset = () => {
    setBill(emptyBill);
    memberDraft.clear();
    setTender(emptyTenderDraft);
    cash.forget();
    platform.forget();
    setCancelNote('');
    setApprovalCode('');
    setSheet({ open: false, at: '' });
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
      // Back on this screen the note is the first thing seen, at the top of the open sheet.
      setSheet({ open: true, at: 'preview' });
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

  useEffect(() => () => {
    if (flashTimer.current) clearTimeout(flashTimer.current);
  }, []);

  /** Adds the item and says so briefly above the bar, whose count bumps; the search stays in view for the next item. */
  const addSku = (product: ProductSummary, sku: SkuSummary) => {
    setBill((b) => addToBill(b, lineFor(product, sku)));
    const spec = Object.values(sku.spec).join(' / ');
    setFlash({ text: `已加入 ${product.name}${spec ? ` ${spec}` : ''}`, key: Date.now() });
    if (flashTimer.current) clearTimeout(flashTimer.current);
    flashTimer.current = setTimeout(() => setFlash(null), add_flash_ms);
  };

  const clearBill = () => {
    void Taro.showModal({ title: '清空购物清单？', content: '已加入的商品和优惠都会移除。', confirmText: '清空' }).then((r) => {
      if (r.confirm) reset();
    });
  };

  const billOnAccount = () => {
    if (!store || bill.lines.length === 0) return;
    handOverBill({ bill, storeId: store.id, context: pricing.context });
    void Taro.navigateTo({ url: '/pages/counter/account' });
  };

  /** An open order for WeChat Pay or Alipay: stock held and priced on the server, then the payment screen. */
  const payByPlatform = async () => {
    if (platform.busy || !store || !result || platformTotalFen === null) return;
    const draft = { storeId: store.id, deviceId: deviceId(), memberId: member?.id ?? null, pointsToRedeem: result.pointsRedeemed > 0 ? pointsToRedeem : 0, couponId: memberDraft.coupon?.id ?? null, expectedTotalFen: platformTotalFen, ...(approvalCode.length === 6 ? { discountApprovalCode: approvalCode } : {}) };
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
    const draft = { storeId: store.id, deviceId: deviceId(), member, pointsToRedeem: charged.pointsRedeemed > 0 ? pointsToRedeem : 0, couponId: memberDraft.coupon?.id ?? null, cashReceivedFen: choice.plan.cashReceivedFen ?? 0, expectedTotalFen: choice.totalFen, tenders: choice.tenders, ...(approvalCode.length === 6 ? { discountApprovalCode: approvalCode } : {}) };
    await cash.submit((clientOrderId) => checkoutRequestFor(bill, { ...draft, clientOrderId }), {
      placed: (order) => {
        noteOnline();
        reset();
        void Taro.navigateTo({ url: `/pages/counter/receipt?orderId=${order.id}&sold=1` });
      },
      priceMismatch: pricing.priceChanged,
      refused: showError,
      offline: {
        online,
        bill: (request, triedOnline) => {
          if (!profile || !billOffline({ request, result: charged, bill, ruleNames: priced.ruleNames, profile, store, member, triedOnline, tenders: choice.plan })) return;
          reset();
          void Taro.navigateTo({ url: `/pages/counter/receipt?outboxId=${request.clientOrderId}&sold=1` });
        },
      },
    });
  };

  const dueFen = result ? dueFenOf(tender.mode, totalFen, platformTotalFen, memberDraft.storedValueFen) : null;
  const notes = (
    <View className='sheet-notes'>
      {cancelNote !== '' && (
        <View className='notice sheet-note' id='cancel-note'>
          {cancelNote}
        </View>
      )}
      {pricing.note !== '' && (
        <View className='muted sheet-note' id='pricing-note'>
          {pricing.note}
        </View>
      )}
      {priced.pricingError !== null && (
        <View className='offline-tag sheet-note' id='pricing-error'>
          {priced.pricingError}
        </View>
      )}
    </View>
  );

  return (
    <View className='page counter counter-billing'>
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
      {count === 0 && <Text className='muted counter-hint'>搜索或扫码把商品加进来；底部随时可看件数、合计和收款。</Text>}
      <AddFlash flash={flash} />
      <CartSheet
        open={sheet.open}
        count={count}
        scrollTo={sheet.at}
        onClose={() => setSheet({ open: false, at: '' })}
        onClear={clearBill}
        notes={notes}
      >
        <CartPanel bill={bill} onBill={setBill} preview={priced.preview} member={member} />
        {bill.lines.length > 0 && <OrderDiscount discount={bill.orderDiscount} preview={priced.preview} onDiscount={(d) => setBill((b) => setOrderDiscount(b, d))} />}
        <DiscountApproval result={result} role={profile?.role} code={approvalCode} onCode={setApprovalCode} />
        <MemberPanel draft={memberDraft} context={pricing.context} online={online} storeId={storeId} />
        <CheckoutPanel
          online={online}
          hasLines={bill.lines.length > 0}
          preview={priced.preview}
          totalFen={totalFen}
          platformTotalFen={platformTotalFen}
          chargeable={result !== null}
          tender={tender}
          onTender={setTender}
          choice={choice}
          storedValueFen={memberDraft.storedValueFen}
          cash={{ busy: cash.busy, pay: () => void checkout() }}
          platform={{ busy: platform.busy, pay: () => void payByPlatform() }}
          onAccount={billOnAccount}
        />
      </CartSheet>
      <CounterBar
        count={count}
        dueFen={dueFen}
        discountFen={priced.preview?.discountFen ?? 0}
        sheetOpen={sheet.open}
        onToggle={() => setSheet({ open: !sheet.open, at: '' })}
        onPay={() => setSheet({ open: true, at: 'preview' })}
      />
    </View>
  );
}

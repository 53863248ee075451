import Taro from '@tarojs/taro';
import { useEffect, useMemo, useState } from 'react';
import type { MemberCard } from '../../../../shared/api/members';
import type { PricingContext } from '../../../../shared/api/orders';
import { isPricingError, priceOrder } from '../../../../shared/pricing/index';
import type { CouponRule, PricingResult } from '../../../../shared/pricing/types';
import { call } from '../../../services/api';
import { loadPricingContext, savePricingContext } from '../../../services/counter-cache';
import { previewOf, pricingInputFor, ruleNamesOf, type CounterBill } from '../../../services/counter-cart';
import { chooseTenders, type TenderDraft } from '../../../services/counter-tenders';
import { storageKv } from '../../../services/outbox-store';
import { noteOnline } from '../hooks';

/**
 * The store's pricing context (promotions, member levels, points): fresh from the server when it answers,
 * else the copy saved on this device. `priceChanged` is what the billing screen does when the server
 * refuses a checkout with `price_mismatch`: it reloads the rules, so the screen shows what the server
 * will charge, and tells the assistant to check the total before taking the money.
 */
export function usePricingContext(storeId: string) {
  const [context, setContext] = useState<PricingContext | null>(null);
  const [note, setNote] = useState('');

  const load = async (nextNote = '') => {
    if (!storeId) return;
    try {
      const fresh = await call('pricingContext', { params: { storeId }, quiet: true });
      savePricingContext(storageKv, storeId, fresh);
      setContext(fresh);
      setNote(nextNote);
      noteOnline();
    } catch {
      setContext(loadPricingContext(storageKv, storeId));
      setNote('使用上次保存的促销规则');
    }
  };

  useEffect(() => {
    void load();
    // Reloaded per store only; a 409 price_mismatch reloads it on purpose.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [storeId]);

  const priceChanged = async () => {
    await load('价格或促销已更新，请核对应收后再收款');
    void Taro.showModal({ title: '价格已变化', content: '促销或价格刚刚更新，已按最新规则重新计算，请核对应收金额后再收款。', showCancel: false });
  };

  return { context, note, priceChanged };
}

/** The bill priced twice, as the server will price it: for cash (with 抹零) and for WeChat Pay or Alipay (without). */
export function useBillPricing(bill: CounterBill, context: PricingContext | null, member: MemberCard | null, pointsToRedeem: number, tender: TenderDraft, coupon: CouponRule | null = null, storedValueFen = 0) {
  const priced = useMemo((): { result: PricingResult } | { error: string } | null => {
    if (bill.lines.length === 0) return null;
    try {
      return { result: priceOrder(pricingInputFor(bill, context, { member, pointsToRedeem, cashTender: true, coupon })) };
    } catch (e) {
      if (isPricingError(e)) return { error: e.message };
      throw e;
    }
  }, [bill, context, member, pointsToRedeem, coupon]);

  // WeChat Pay, Alipay, card and e-CNY alone are not cash, so 抹零 does not apply; the server prices them the same way.
  const nonCashResult = useMemo((): PricingResult | null => {
    if (bill.lines.length === 0) return null;
    try {
      return priceOrder(pricingInputFor(bill, context, { member, pointsToRedeem, cashTender: false, coupon }));
    } catch (e) {
      if (isPricingError(e)) return null;
      throw e;
    }
  }, [bill, context, member, pointsToRedeem, coupon]);
  const platformTotalFen = nonCashResult?.totalFen ?? null;

  const ruleNames = useMemo(() => ruleNamesOf(context), [context]);
  const result = priced && 'result' in priced ? priced.result : null;
  const preview = result ? previewOf(result, ruleNames) : null;
  const totalFen = preview?.totalFen ?? 0;
  const choice = result ? chooseTenders(tender, { cashTotalFen: totalFen, nonCashTotalFen: platformTotalFen ?? totalFen, storedValueFen }) : null;
  return { pricingError: priced && 'error' in priced ? priced.error : null, result, nonCashResult, platformTotalFen, ruleNames, preview, totalFen, choice };
}

import { Button, Input, Picker, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ProductSummary, SkuSummary } from '../../../shared/api/catalog';
import { search_query_length_max } from '../../../shared/api/common';
import type { MemberCard } from '../../../shared/api/members';
import type { CheckoutRequest, PricingContext } from '../../../shared/api/orders';
import { fenToYuan, formatFen } from '../../../shared/money';
import { isPricingError, priceOrder } from '../../../shared/pricing/index';
import type { PricingResult } from '../../../shared/pricing/types';
import { call, showError } from '../../services/api';
import { findBarcode, loadCatalog, loadPricingContext, rememberProducts, savePricingContext, searchCached } from '../../services/counter-cache';
import {
  addToBill,
  billCount,
  cashQuickNotes,
  changeFen,
  checkoutRequestFor,
  emptyBill,
  lineFor,
  parseDiscount,
  previewOf,
  pricingInputFor,
  ruleNamesOf,
  setLineDiscount,
  setLineQty,
  specText,
  yuanInputToFen,
  type CounterBill,
} from '../../services/counter-cart';
import { canDecideReturns, chooseStore } from '../../services/counter-context';
import { cancelledNoteOf, counter_cancelled_event, counter_paid_event, openOrderRequestFor, type CounterCancelled } from '../../services/counter-pay';
import { counter_account_billed_event, handOverBill } from '../../services/counter-account';
import { newClientId } from '../../services/counter-ids';
import { markOffline } from '../../services/counter-network';
import { offlineReceipt } from '../../services/counter-receipt';
import { scanBarcode } from '../../services/counter-scan';
import { ApiError } from '../../services/errors';
import { nextDeviceReceiptNo } from '../../services/outbox';
import { deviceId, outbox, outboxChanged, storageKv } from '../../services/outbox-store';
import { roleNames } from '../../services/roles';
import { busyProps } from '../../services/stock-ops';
import { noteOnline, useCounterProfile, useOnline, useOutboxCounts } from './hooks';
import './counter.less';

const search_debounce_ms = 300;
const search_page_size = 20;
const quick_discount_reasons = ['熟客', '瑕疵', '临期', '店长同意'] as const;
const isH5 = process.env.TARO_ENV === 'h5';

type DiscountDraft = { skuId: string; kind: 'percent_off' | 'amount_off'; value: string; reason: string };

/** The id of the last attempt, kept with what it sent: a retry of the same bill reuses it. */
interface Attempt {
  clientOrderId: string;
  fingerprint: string;
}

export default function Billing() {
  const { profile, store, storeChanged } = useCounterProfile('/pages/counter/index');
  const online = useOnline();
  const outboxCounts = useOutboxCounts();

  const [context, setContext] = useState<PricingContext | null>(null);
  const [contextNote, setContextNote] = useState('');
  const [typed, setTyped] = useState('');
  const [results, setResults] = useState<ProductSummary[]>([]);
  const [choosing, setChoosing] = useState<ProductSummary | null>(null);
  const [barcode, setBarcode] = useState('');
  const [bill, setBill] = useState<CounterBill>(emptyBill);
  const [discount, setDiscount] = useState<DiscountDraft | null>(null);
  const [memberQuery, setMemberQuery] = useState('');
  const [member, setMember] = useState<MemberCard | null>(null);
  const [memberMissing, setMemberMissing] = useState(false);
  const [pointsText, setPointsText] = useState('');
  const [receivedText, setReceivedText] = useState('');
  const [busy, setBusy] = useState(false);
  const attempt = useRef<Attempt | null>(null);
  const payAttempt = useRef<Attempt | null>(null);
  const [paying, setPaying] = useState(false);
  const [cancelNote, setCancelNote] = useState('');

  const storeId = store?.id ?? '';

  const loadContext = async (note = '') => {
    if (!storeId) return;
    try {
      const fresh = await call('pricingContext', { params: { storeId }, quiet: true });
      savePricingContext(storageKv, storeId, fresh);
      setContext(fresh);
      setContextNote(note);
      noteOnline();
    } catch {
      setContext(loadPricingContext(storageKv, storeId));
      setContextNote('使用上次保存的促销规则');
    }
  };

  useEffect(() => {
    void loadContext();
    // Reloaded per store only; a 409 price_mismatch reloads it on purpose.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [storeId]);

  // Search: the server when online (name, pinyin initials, barcode), the products seen before when not.
  useEffect(() => {
    if (!storeId) return;
    const q = typed.trim();
    // With nothing typed the counter shows the store's first page of goods, which also fills the
    // offline catalog with their prices; typing narrows it.
    const timer = setTimeout(() => {
      if (!online) {
        setResults(searchCached(loadCatalog(storageKv, storeId), q));
        return;
      }
      call('storeProducts', { params: { storeId }, query: q === '' ? { limit: search_page_size } : { q, limit: search_page_size }, quiet: true })
        .then((page) => {
          setResults(page.items);
          rememberProducts(storageKv, storeId, page.items);
        })
        .catch((e: unknown) => {
          if (e instanceof ApiError && e.status === 0) markOffline();
          setResults(searchCached(loadCatalog(storageKv, storeId), q));
        });
    }, search_debounce_ms);
    return () => clearTimeout(timer);
  }, [typed, storeId, online]);

  const addSku = (product: ProductSummary, sku: SkuSummary) => {
    setBill((b) => addToBill(b, lineFor(product, sku)));
    setChoosing(null);
    // The next product is usually a new search or scan.
    setTyped('');
  };

  const pickProduct = (product: ProductSummary) => {
    const only = product.skus.length === 1 ? product.skus[0] : undefined;
    if (only) addSku(product, only);
    else setChoosing(product);
  };

  const addBarcode = async (code: string) => {
    const value = code.trim();
    if (!value || !storeId) return;
    try {
      const found = online ? await call('barcodeLookup', { params: { storeId, barcode: value }, quiet: true }) : findBarcode(loadCatalog(storageKv, storeId), value);
      if (!found) throw new ApiError(404, 'not_found', `本机没有条码 ${value} 的商品记录`);
      rememberProducts(storageKv, storeId, [found.product]);
      addSku(found.product, found.sku);
      setBarcode('');
    } catch (e) {
      if (e instanceof ApiError && e.status === 0) {
        markOffline();
        const cached = findBarcode(loadCatalog(storageKv, storeId), value);
        if (cached) {
          addSku(cached.product, cached.sku);
          setBarcode('');
          return;
        }
      }
      showError(e instanceof ApiError && e.status === 404 ? new Error(`没有找到条码 ${value}`) : e);
    }
  };

  const scan = async () => {
    const code = await scanBarcode();
    if (code) await addBarcode(code);
  };

  const lookupMember = async () => {
    const q = memberQuery.trim();
    const query = /^mbr_/.test(q) ? { memberId: q } : { phone: q };
    setMemberMissing(false);
    try {
      const { member: found } = await call('memberLookup', { query, quiet: true });
      setMember(found);
      setPointsText('');
    } catch (e) {
      if (e instanceof ApiError && e.status === 404 && 'phone' in query) setMemberMissing(true);
      else showError(e);
    }
  };

  const createMember = async () => {
    try {
      const { member: created } = await call('createMember', { body: { phone: memberQuery.trim() } });
      setMember(created);
      setMemberMissing(false);
    } catch {
      // call() has shown the reason.
    }
  };

  const pointsToRedeem = member ? Math.max(0, Math.floor(Number(pointsText) || 0)) : 0;

  const priced = useMemo((): { result: PricingResult } | { error: string } | null => {
    if (bill.lines.length === 0) return null;
    try {
      return { result: priceOrder(pricingInputFor(bill, context, { member, pointsToRedeem, cashTender: true })) };
    } catch (e) {
      if (isPricingError(e)) return { error: e.message };
      throw e;
    }
  }, [bill, context, member, pointsToRedeem]);

  const result = priced && 'result' in priced ? priced.result : null;

  // WeChat Pay and Alipay are not cash, so 抹零 does not apply; the server prices the open order the same way.
  const platformTotalFen = useMemo((): number | null => {
    if (bill.lines.length === 0) return null;
    try {
      return priceOrder(pricingInputFor(bill, context, { member, pointsToRedeem, cashTender: false })).totalFen;
    } catch (e) {
      if (isPricingError(e)) return null;
      throw e;
    }
  }, [bill, context, member, pointsToRedeem]);
  const ruleNames = useMemo(() => ruleNamesOf(context), [context]);
  const preview = result ? previewOf(result, ruleNames) : null;
  const totalFen = preview?.totalFen ?? 0;
  const receivedFen = receivedText.trim() === '' ? totalFen : yuanInputToFen(receivedText);
  const change = receivedFen === null ? null : changeFen(totalFen, receivedFen);

  const applyDiscount = () => {
    if (!discount) return;
    const parsed = parseDiscount(
      discount.kind === 'percent_off'
        ? { kind: 'percent_off', percent: discount.value, reason: discount.reason }
        : { kind: 'amount_off', yuan: discount.value, reason: discount.reason },
    );
    if (!parsed.ok) {
      void Taro.showToast({ title: parsed.message, icon: 'none' });
      return;
    }
    setBill((b) => setLineDiscount(b, discount.skuId, parsed.discount));
    setDiscount(null);
  };

  const reset = () => {
    setBill(emptyBill);
    setMember(null);
    setMemberQuery('');
    setPointsText('');
    setReceivedText('');
    attempt.current = null;
    payAttempt.current = null;
    setCancelNote('');
  };

  // The payment screen says when the open order is paid; only then is the bill done.
  useEffect(() => {
    const paid = (orderId: string) => {
      if (payAttempt.current?.clientOrderId === orderId) reset();
    };
    // A cancelled open order keeps the cart: the customer pays cash for it, or the assistant changes it.
    const cancelled = ({ orderId, reason }: CounterCancelled) => {
      if (payAttempt.current?.clientOrderId !== orderId) return;
      payAttempt.current = null;
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

  const billOnAccount = () => {
    if (!store || bill.lines.length === 0) return;
    handOverBill({ bill, storeId: store.id, context });
    void Taro.navigateTo({ url: '/pages/counter/account' });
  };

  /** An open order for WeChat Pay or Alipay: stock held and priced on the server, then the payment screen. */
  const payByPlatform = async () => {
    if (paying || !store || !result || platformTotalFen === null) return;
    const draft = { storeId: store.id, deviceId: deviceId(), memberId: member?.id ?? null, pointsToRedeem: result.pointsRedeemed > 0 ? pointsToRedeem : 0, expectedTotalFen: platformTotalFen };
    const fingerprint = JSON.stringify(openOrderRequestFor(bill, { ...draft, clientOrderId: '' }));
    const clientOrderId = payAttempt.current?.fingerprint === fingerprint ? payAttempt.current.clientOrderId : newClientId('ord');
    payAttempt.current = { clientOrderId, fingerprint };
    setPaying(true);
    try {
      const { order } = await call('checkout', { body: openOrderRequestFor(bill, { ...draft, clientOrderId }), quiet: true });
      noteOnline();
      void Taro.navigateTo({ url: `/pages/counter/pay?orderId=${order.id}` });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.status === 0) markOffline();
      else payAttempt.current = null;
      if (e.code === 'price_mismatch') {
        await loadContext('价格或促销已更新，请核对应收后再收款');
        void Taro.showModal({ title: '价格已变化', content: '促销或价格刚刚更新，已按最新规则重新计算，请核对应收金额后再收款。', showCancel: false });
      } else showError(e);
    } finally {
      setPaying(false);
    }
  };

  const billOffline = (request: CheckoutRequest, priceResult: PricingResult, triedOnline: boolean) => {
    if (!profile || !store) return;
    if (request.pointsToRedeem) {
      void Taro.showModal({ title: '离线模式', content: '离线时不能用积分抵扣，请把抵扣积分清空后再收款', showCancel: false });
      return;
    }
    const receiptNo = nextDeviceReceiptNo(storageKv, deviceId());
    const billedAt = new Date().toISOString();
    const offlineRequest: CheckoutRequest = { ...request, offline: { receiptNo, billedAt } };
    const receipt = offlineReceipt({
      bill,
      result: priceResult,
      ruleNames,
      storeName: store.name,
      storeAddress: store.address,
      assistantName: profile.name,
      member,
      deviceReceiptNo: receiptNo,
      orderId: request.clientOrderId,
      billedAt,
      cashReceivedFen: request.tenders[0]?.amountFen ?? 0,
    });
    const added = outbox.add({ id: request.clientOrderId, receiptNo, billedAt, request: offlineRequest, receipt, status: 'pending', ...(triedOnline ? { triedOnline } : {}) });
    if (!added.ok) {
      void Taro.showModal({ title: '无法离线开单', content: added.message, showCancel: false });
      return;
    }
    outboxChanged();
    reset();
    void Taro.navigateTo({ url: `/pages/counter/receipt?outboxId=${request.clientOrderId}` });
  };

  const checkout = async () => {
    if (busy || !store || !result) return;
    if (receivedFen === null || change === null) {
      void Taro.showToast({ title: '收到的现金不足', icon: 'none' });
      return;
    }
    const draft = { storeId: store.id, deviceId: deviceId(), member, pointsToRedeem: result.pointsRedeemed > 0 ? pointsToRedeem : 0, cashReceivedFen: receivedFen, expectedTotalFen: result.totalFen };
    const fingerprint = JSON.stringify(checkoutRequestFor(bill, { ...draft, clientOrderId: '' }));
    const clientOrderId = attempt.current?.fingerprint === fingerprint ? attempt.current.clientOrderId : newClientId('ord');
    attempt.current = { clientOrderId, fingerprint };
    const request = checkoutRequestFor(bill, { ...draft, clientOrderId });
    if (!online) {
      billOffline(request, result, false);
      return;
    }
    setBusy(true);
    try {
      const { order } = await call('checkout', { body: request, quiet: true });
      noteOnline();
      reset();
      void Taro.navigateTo({ url: `/pages/counter/receipt?orderId=${order.id}` });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.status === 0) {
        markOffline();
        billOffline(request, result, true);
        return;
      }
      // The server answered: this id made no order, so the next attempt may take a new one.
      attempt.current = null;
      if (e.code === 'price_mismatch') {
        await loadContext('价格或促销已更新，请核对应收后再收款');
        void Taro.showModal({ title: '价格已变化', content: '促销或价格刚刚更新，已按最新规则重新计算，请核对应收金额后再收款。', showCancel: false });
      } else showError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className='page counter'>
      <View className='section counter-header'>
        <View className='row'>
          <Text id='counter-staff' className='section-title'>
            {profile ? `${profile.name} · ${roleNames[profile.role]}` : ''}
          </Text>
          <Text id='network-status' className={online ? 'muted' : 'offline-tag'}>
            {online ? '在线' : '离线模式'}
          </Text>
        </View>
        {profile && profile.stores.length > 1 ? (
          <Picker
            mode='selector'
            range={profile.stores.map((s) => s.name)}
            value={Math.max(0, profile.stores.findIndex((s) => s.id === storeId))}
            onChange={(e) => {
              const next = profile.stores[Number(e.detail.value)];
              if (next) chooseStore(next.id);
              storeChanged();
              reset();
            }}
          >
            <View id='counter-store' className='muted'>
              {store?.name} ▾
            </View>
          </Picker>
        ) : (
          <View id='counter-store' className='muted'>
            {store ? `${store.name} · ${store.address}` : profile ? '没有可用的门店' : ''}
          </View>
        )}
        <View className='counter-links'>
          <Text id='orders-link' className='link' onClick={() => void Taro.navigateTo({ url: '/pages/counter/orders' })}>
            今日订单 / 退货
          </Text>
          {canDecideReturns(profile?.role) && (
            <Text id='pending-link' className='link' onClick={() => void Taro.navigateTo({ url: '/pages/counter/returns' })}>
              退货审批
            </Text>
          )}
          <Text id='reservations-link' className='link' onClick={() => void Taro.navigateTo({ url: '/pages/counter/reservations' })}>
            预约取货
          </Text>
          <Text id='outbox-link' className={outboxCounts.rejected > 0 ? 'link offline-tag' : 'link'} onClick={() => void Taro.navigateTo({ url: '/pages/counter/outbox' })}>
            离线单 {outboxCounts.pending + outboxCounts.rejected}
          </Text>
        </View>
      </View>

      <View className='section'>
        {isH5 ? (
          <View className='row'>
            <Input
              id='barcode-input'
              className='counter-input grow'
              placeholder='输入或扫码枪录入条码'
              value={barcode}
              onInput={(e) => setBarcode(e.detail.value)}
              onConfirm={() => void addBarcode(barcode)}
            />
            <Button id='barcode-add' size='mini' onClick={() => void addBarcode(barcode)}>
              添加
            </Button>
          </View>
        ) : (
          <Button id='scan' type='primary' onClick={() => void scan()}>
            扫码添加
          </Button>
        )}
        <Input
          id='product-search'
          className='counter-input'
          placeholder='搜索商品名称、拼音首字母或条码'
          maxlength={search_query_length_max}
          value={typed}
          onInput={(e) => setTyped(e.detail.value)}
        />
        {results.map((p) => (
          <View key={p.id} className='product-row product-item' data-product-id={p.id} onClick={() => pickProduct(p)}>
            <View>
              <View className='product-name'>{p.name}</View>
              <View className='muted'>{p.skus.length > 1 ? `${p.skus.length} 个规格` : `库存 ${p.skus[0]?.available ?? 0} ${p.unit}`}</View>
            </View>
            <Text className='price'>{p.skus.length > 1 ? `${formatFen(p.priceFen)} 起` : formatFen(p.priceFen)}</Text>
          </View>
        ))}
        {choosing && (
          <View id='sku-chooser' className='chooser'>
            <View className='row'>
              <Text className='section-title'>选择规格：{choosing.name}</Text>
              <Text className='link' onClick={() => setChoosing(null)}>
                取消
              </Text>
            </View>
            {choosing.skus.map((s) => (
              <View key={s.id} className='product-row sku-option' data-sku-id={s.id} onClick={() => addSku(choosing, s)}>
                <Text>{specText(s.spec) || s.barcode}</Text>
                <Text className='price'>{formatFen(s.retailPriceFen)}</Text>
              </View>
            ))}
          </View>
        )}
      </View>

      <View className='section' id='cart'>
        <View className='section-title'>购物清单（{billCount(bill)} 件）</View>
        {bill.lines.length === 0 && <View className='muted'>扫码或搜索添加商品</View>}
        {bill.lines.map((l, i) => {
          const p = preview?.lines[i];
          return (
            <View key={l.skuId} className='cart-line' data-sku-id={l.skuId}>
              <View className='row'>
                <View className='grow'>
                  <View className='product-name'>{l.name}</View>
                  <View className='muted'>
                    {l.spec ? `${l.spec} · ` : ''}
                    {formatFen(l.retailPriceFen)}
                    {member && l.memberPriceFen < l.retailPriceFen ? ` · 会员 ${formatFen(l.memberPriceFen)}` : ''}
                  </View>
                </View>
                <View className='row qty'>
                  <Button className='qty-minus' size='mini' onClick={() => setBill((b) => setLineQty(b, l.skuId, l.qty - 1))}>
                    −
                  </Button>
                  <Text className='qty-value'>{l.qty}</Text>
                  <Button className='qty-plus' size='mini' onClick={() => setBill((b) => setLineQty(b, l.skuId, l.qty + 1))}>
                    +
                  </Button>
                </View>
              </View>
              {p?.rows.map((r) => (
                <View key={r.label} className='row adjustment-row'>
                  <Text className='muted'>{r.label}</Text>
                  <Text className='muted'>-{formatFen(r.fen)}</Text>
                </View>
              ))}
              <View className='row'>
                <Text
                  className='link line-discount'
                  onClick={() => setDiscount({ skuId: l.skuId, kind: 'percent_off', value: '', reason: l.discount?.reason ?? '' })}
                >
                  {l.discount ? '修改优惠' : '单品优惠'}
                </Text>
                <Text className='line-net'>{p ? formatFen(p.afterLineFen) : ''}</Text>
              </View>
              {discount?.skuId === l.skuId && (
                <View className='discount-editor'>
                  <View className='row'>
                    <Text className={discount.kind === 'percent_off' ? 'chip chip--on' : 'chip'} onClick={() => setDiscount({ ...discount, kind: 'percent_off' })}>
                      按比例 %
                    </Text>
                    <Text className={discount.kind === 'amount_off' ? 'chip chip--on' : 'chip'} onClick={() => setDiscount({ ...discount, kind: 'amount_off' })}>
                      减金额 ¥
                    </Text>
                  </View>
                  <Input
                    className='counter-input discount-value'
                    type='digit'
                    placeholder={discount.kind === 'percent_off' ? '优惠百分比，如 10 表示九折' : '优惠金额（元）'}
                    value={discount.value}
                    onInput={(e) => setDiscount({ ...discount, value: e.detail.value })}
                  />
                  <Input className='counter-input discount-reason' placeholder='原因（必填）' value={discount.reason} onInput={(e) => setDiscount({ ...discount, reason: e.detail.value })} />
                  <View className='row'>
                    {quick_discount_reasons.map((r) => (
                      <Text key={r} className='chip' onClick={() => setDiscount({ ...discount, reason: r })}>
                        {r}
                      </Text>
                    ))}
                  </View>
                  <View className='row'>
                    <Button size='mini' className='discount-clear' onClick={() => {
                      setBill((b) => setLineDiscount(b, l.skuId, undefined));
                      setDiscount(null);
                    }}>
                      取消优惠
                    </Button>
                    <Button size='mini' type='primary' className='discount-apply' onClick={applyDiscount}>
                      确定
                    </Button>
                  </View>
                </View>
              )}
            </View>
          );
        })}
      </View>

      <View className='section' id='member'>
        <View className='section-title'>会员</View>
        {member ? (
          <View id='member-card'>
            <View className='row'>
              <Text id='member-name'>
                {member.name ?? '会员'} {member.phoneMasked ?? ''}
              </Text>
              <Text className='link' id='member-clear' onClick={() => setMember(null)}>
                移除
              </Text>
            </View>
            <View className='muted' id='member-level'>
              {member.level} · 积分 <Text id='member-points'>{member.points}</Text>
            </View>
            {context && context.redeemCapBp > 0 && member.points > 0 && (
              <Input
                id='points-redeem'
                className='counter-input'
                type='number'
                placeholder={`抵扣积分（${context.redeemPointsPerFen} 积分抵 1 分）`}
                value={pointsText}
                onInput={(e) => setPointsText(e.detail.value.replace(/\D/g, ''))}
              />
            )}
          </View>
        ) : (
          <View>
            <View className='row'>
              <Input
                id='member-phone'
                className='counter-input grow'
                placeholder='会员手机号或会员码'
                value={memberQuery}
                onInput={(e) => setMemberQuery(e.detail.value.trim())}
                onConfirm={() => void lookupMember()}
              />
              <Button id='member-lookup' size='mini' disabled={!online || memberQuery === ''} onClick={() => void lookupMember()}>
                查询
              </Button>
            </View>
            {memberMissing && (
              <View className='row'>
                <Text className='muted'>没有这个会员</Text>
                <Button id='member-create' size='mini' onClick={() => void createMember()}>
                  用此手机号开卡
                </Button>
              </View>
            )}
          </View>
        )}
      </View>

      <View className='section' id='preview'>
        {contextNote !== '' && <View className='muted notice' id='pricing-note'>{contextNote}</View>}
        {priced && 'error' in priced && <View className='offline-tag' id='pricing-error'>{priced.error}</View>}
        {preview && (
          <View>
            <View className='row preview-row'>
              <Text>商品合计</Text>
              <Text id='order-subtotal'>{formatFen(preview.subtotalFen)}</Text>
            </View>
            {preview.lines.flatMap((l) => l.rows).length > 0 && (
              <View className='row preview-row'>
                <Text className='muted'>会员价及单品优惠（见上）</Text>
                <Text className='muted'>-{formatFen(preview.lines.reduce((s, l) => s + l.listFen - l.afterLineFen, 0))}</Text>
              </View>
            )}
            {preview.orderRows.map((r) => (
              <View key={r.label} className='row preview-row order-adjustment'>
                <Text>{r.label}</Text>
                <Text>-{formatFen(r.fen)}</Text>
              </View>
            ))}
          </View>
        )}
        <View className='row total-row'>
          <Text className='section-title'>应收</Text>
          <Text id='order-total' className='price total'>
            {formatFen(totalFen)}
          </Text>
        </View>
        <View className='row'>
          <Text>收现金</Text>
          <Input
            id='cash-received'
            className='counter-input cash-input'
            type='digit'
            placeholder={formatFen(totalFen)}
            value={receivedText}
            onInput={(e) => setReceivedText(e.detail.value)}
          />
        </View>
        <View className='row cash-notes'>
          {cashQuickNotes(totalFen).map((n) => (
            <Text key={n} className='chip cash-note' data-fen={n} onClick={() => setReceivedText(fenToYuan(n))}>
              {formatFen(n)}
            </Text>
          ))}
        </View>
        <View className='row'>
          <Text>找零</Text>
          <Text id='change' className='price'>
            {change === null ? '现金不足' : formatFen(change)}
          </Text>
        </View>
        {cancelNote !== '' && (
          <View className='notice' id='cancel-note'>
            {cancelNote}
          </View>
        )}
        <Button id='checkout' type='primary' {...busyProps(busy || !result || change === null)} {...busyProps(busy, true)} onClick={() => void checkout()}>
          {online ? `现金收款 ${formatFen(totalFen)}` : `离线收款 ${formatFen(totalFen)}`}
        </Button>
        {online && platformTotalFen !== null && platformTotalFen > 0 && (
          <Button id='pay-platform' className='pay-platform' {...busyProps(paying || !result)} {...busyProps(paying, true)} onClick={() => void payByPlatform()}>
            微信 / 支付宝收款 {formatFen(platformTotalFen)}
          </Button>
        )}
        {online && bill.lines.length > 0 && (
          <Button id='pay-account' className='pay-platform' onClick={billOnAccount}>
            赊账（商贸客户）
          </Button>
        )}
      </View>
    </View>
  );
}

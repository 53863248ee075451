import { Button, Input, Text, View } from '@tarojs/components';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { useRef, useState } from 'react';
import type { PurchaseOrderView } from '../../../../shared/api/purchasing';
import { newId } from '../../../../shared/ids';
import { formatFen } from '../../../../shared/money';
import { call } from '../../../services/api';
import { ApiError } from '../../../services/errors';
import { po_status_labels, receiveAllTyped, receiveLinesFrom } from '../../../services/purchasing';
import { purchasing_pages, staffOrSignIn } from './session';
import './purchasing.less';

/** One purchase order: its lines with what arrived, and a form to receive what arrives now, line by line. */
export default function PurchaseOrderPage() {
  const { params } = useRouter();
  const poId = params.id ?? '';
  const [order, setOrder] = useState<PurchaseOrderView | null>(null);
  const [typed, setTyped] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  // Kept until the server answers, so a retry after a lost answer reuses the receipt id.
  const attempt = useRef<{ id: string; fingerprint: string } | null>(null);

  const load = () => {
    if (!staffOrSignIn(`${purchasing_pages.order}?id=${poId}`) || !poId) return;
    call('purchaseOrder', { params: { poId } })
      .then((r) => setOrder(r.order))
      .catch(() => undefined);
  };
  useDidShow(load);

  const receive = async () => {
    if (!order || busy) return;
    const checked = receiveLinesFrom(order, typed);
    if (!checked.ok) {
      setError(checked.message);
      return;
    }
    setError('');
    const fingerprint = JSON.stringify(checked.value);
    const receiptId = attempt.current?.fingerprint === fingerprint ? attempt.current.id : newId('purchaseReceipt');
    attempt.current = { id: receiptId, fingerprint };
    setBusy(true);
    try {
      const r = await call('receivePurchaseOrder', { params: { poId: order.id }, body: { receiptId, lines: checked.value } });
      attempt.current = null;
      setOrder(r.order);
      setTyped({});
      void Taro.showToast({ title: '已收货入库', icon: 'success' });
    } catch (e) {
      if (e instanceof ApiError && e.status !== 0) attempt.current = null;
    } finally {
      setBusy(false);
    }
  };

  const changeStatus = async (change: 'submitPurchaseOrder' | 'cancelPurchaseOrder') => {
    if (!order) return;
    const r = await call(change, { params: { poId: order.id } }).catch(() => null);
    if (r) setOrder(r.order);
  };

  if (!order) return <View className='page'><View className='section muted'>加载中…</View></View>;
  const receivable = order.status === 'ordered' || order.status === 'partially_received';

  return (
    <View className='page'>
      <View className='section' id='po-header'>
        <View className='row'>
          <Text className='section-title'>{order.supplierName}</Text>
          <Text id='po-status' className={`status-tag status-tag--${order.status}`}>{po_status_labels[order.status]}</Text>
        </View>
        <View className='muted'>
          {order.storeName} · 下单 {order.businessDate}
          {order.expectedDate ? ` · 预计到货 ${order.expectedDate}` : ''}
        </View>
        <View className='row' style={{ marginTop: '16px' }}>
          <View>
            <View className='muted'>订货金额</View>
            <Text className='figure'>{formatFen(order.orderedFen)}</Text>
          </View>
          <View>
            <View className='muted'>已收货</View>
            <Text className='figure' id='po-received-fen'>{formatFen(order.receivedFen)}</Text>
          </View>
        </View>
        {order.note && <View className='muted'>备注：{order.note}</View>}
      </View>

      <View className='section' id='po-lines'>
        <View className='row'>
          <Text className='section-title'>{receivable ? '收货' : '商品'}</Text>
          {receivable && <Text className='link' id='receive-all' onClick={() => setTyped(receiveAllTyped(order))}>全部到货</Text>}
        </View>
        {order.lines.map((l) => {
          const remaining = l.qty - l.receivedQty;
          return (
            <View key={l.skuId} className='line-row row' data-sku-id={l.skuId}>
              <View className='grow'>
                <View>{l.name}{l.spec ? ` ${l.spec}` : ''}</View>
                <View className='muted'>
                  进价 {formatFen(l.unitCostFen)} · 订 {l.qty} · 已收 <Text className='received-qty'>{l.receivedQty}</Text>
                  {l.returnedQty > 0 ? ` · 已退 ${l.returnedQty}` : ''}
                </View>
              </View>
              {receivable && remaining > 0 && (
                <Input
                  className='p-input qty-input receive-qty'
                  type='number'
                  placeholder={`未收 ${remaining}`}
                  value={typed[l.skuId] ?? ''}
                  onInput={(e) => setTyped((t) => ({ ...t, [l.skuId]: e.detail.value }))}
                />
              )}
            </View>
          );
        })}
        {error && <View className='form-error' id='receive-error'>{error}</View>}
        {receivable && (
          <Button id='receive-submit' type='primary' loading={busy} disabled={busy} onClick={() => void receive()}>
            确认收货入库
          </Button>
        )}
        {order.status === 'draft' && <Button id='po-submit' type='primary' onClick={() => void changeStatus('submitPurchaseOrder')}>确认下单</Button>}
        {(order.status === 'draft' || order.status === 'ordered') && <Button id='po-cancel' onClick={() => void changeStatus('cancelPurchaseOrder')}>取消采购单</Button>}
      </View>

      {order.receipts.length > 0 && (
        <View className='section' id='po-receipts'>
          <View className='section-title'>收货记录</View>
          {order.receipts.map((r) => (
            <View key={r.id} className='row line-row'>
              <Text>{r.businessDate} · {r.lines.reduce((s, l) => s + l.qty, 0)} 件</Text>
              <Text className='price'>{formatFen(r.valueFen)}</Text>
            </View>
          ))}
          {order.returns.map((r) => (
            <View key={r.id} className='row line-row'>
              <Text>{r.businessDate} · 退货（{r.reason}）</Text>
              <Text className='price'>-{formatFen(r.valueFen)}</Text>
            </View>
          ))}
          <View className='link' onClick={() => void Taro.navigateTo({ url: `${purchasing_pages.statement}?supplierId=${order.supplierId}` })}>
            查看供应商对账单 ›
          </View>
        </View>
      )}
    </View>
  );
}

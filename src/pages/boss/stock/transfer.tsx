import { Button, Input, Text, View } from '@tarojs/components';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { transfer_qty_max, type TransferView } from '../../../../shared/api/stock-ops';
import { formatFen } from '../../../../shared/money';
import { call } from '../../../services/api';
import { busyProps, nextStep, parseQty, startingQtys, transfer_status_labels } from '../../../services/stock-ops';
import './index.less';

const step_labels = { ship: '确认发货', receive: '确认收货', write_off: '核销短少' } as const;

/** One transfer: the source ships, the destination receives, a shortfall is written off. */
export default function Transfer() {
  const { params } = useRouter();
  const [t, setT] = useState<TransferView | null>(null);
  const [qty, setQty] = useState<Record<string, string>>({});
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);

  const show = (view: TransferView) => {
    setT(view);
    setQty(Object.fromEntries(Object.entries(startingQtys(view)).map(([k, v]) => [k, String(v)])));
  };

  useDidShow(() => {
    if (params.id) void call('transfer', { params: { transferId: params.id } }).then((r) => show(r.transfer)).catch(() => undefined);
  });

  if (!t) return <View className='page'><View className='section muted'>加载中…</View></View>;
  const step = nextStep(t);

  const act = async () => {
    if (!step) return;
    setBusy(true);
    try {
      if (step === 'write_off') {
        if (note.trim() === '') {
          void Taro.showToast({ title: '请写明短少原因', icon: 'none' });
          return;
        }
        show((await call('writeOffTransfer', { params: { transferId: t.id }, body: { note: note.trim() } })).transfer);
        void Taro.showToast({ title: '已核销', icon: 'success' });
        return;
      }
      const lines = t.lines.map((l) => ({ skuId: l.skuId, qty: parseQty(qty[l.skuId] ?? '', transfer_qty_max) }));
      if (lines.some((l) => l.qty === null)) {
        void Taro.showToast({ title: '数量须为整数', icon: 'none' });
        return;
      }
      const body = { lines: lines.map((l) => ({ skuId: l.skuId, qty: l.qty! })) };
      const r = step === 'ship' ? await call('shipTransfer', { params: { transferId: t.id }, body }) : await call('receiveTransfer', { params: { transferId: t.id }, body });
      show(r.transfer);
      void Taro.showToast({ title: step === 'ship' ? '已发货' : '已收货', icon: 'success' });
    } catch {
      /* the toast has said why */
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className='page'>
      <View className='section' id='transfer-head' data-status={t.status}>
        <View className='row'>
          <Text className='section-title'>{t.fromStore.name} → {t.toStore.name}</Text>
          <Text className={`status status-${t.status}`} id='transfer-status'>{transfer_status_labels[t.status]}</Text>
        </View>
        {t.note && <View className='muted'>{t.note}</View>}
        <View className='muted' id='transfer-in-transit'>在途 {t.inTransitQty} 件 · {formatFen(t.inTransitFen)}</View>
        {t.varianceQty > 0 && <View className='loss' id='transfer-variance'>短少 {t.varianceQty} 件，按成本 {formatFen(t.varianceFen)}，待店长核销</View>}
        {t.writeOffNote && <View className='muted'>已核销：{t.writeOffNote}</View>}
      </View>
      <View className='section' id='transfer-lines'>
        <View className='row muted'>
          <Text>商品</Text>
          <Text>申请 / 发出 / 收到{step === 'ship' || step === 'receive' ? ' · 本次' : ''}</Text>
        </View>
        {t.lines.map((l) => (
          <View key={l.skuId} className='stock-row row' data-sku-id={l.skuId}>
            <View>
              <View>{l.name}</View>
              <View className='muted'>{l.spec || l.barcode}</View>
            </View>
            <View className='row'>
              <Text className='muted'>{l.requestedQty} / {l.shippedQty ?? '-'} / {l.receivedQty ?? '-'}</Text>
              {(step === 'ship' || step === 'receive') && (
                <Input className='qty-input line-qty' type='number' value={qty[l.skuId] ?? ''} onInput={(e) => setQty({ ...qty, [l.skuId]: e.detail.value })} />
              )}
            </View>
          </View>
        ))}
        {step === 'write_off' && <Input id='write-off-note' className='text-input' placeholder='短少原因（必填）' value={note} onInput={(e) => setNote(e.detail.value)} />}
        {step && (
          <View className='actions'>
            <Button id='transfer-act' type='primary' {...busyProps(busy, true)} onClick={() => void act()}>{step_labels[step]}</Button>
          </View>
        )}
      </View>
    </View>
  );
}

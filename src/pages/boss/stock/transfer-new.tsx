import { Button, Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { transfer_lines_max, transfer_qty_max } from '../../../../shared/api/stock-ops';
import { call } from '../../../services/api';
import { scanBarcode } from '../../../services/counter-scan';
import { getSession } from '../../../services/session';
import { busyProps, newTransferId, parseQty } from '../../../services/stock-ops';
import './index.less';

interface Line {
  skuId: string;
  name: string;
  qty: string;
}

/** A transfer request: from one store to another, lines added by barcode. */
export default function NewTransfer() {
  const stores = getSession('staff')?.stores ?? [];
  const [from, setFrom] = useState(stores[0]?.id ?? '');
  const [to, setTo] = useState(stores[1]?.id ?? '');
  const [barcode, setBarcode] = useState('');
  const [lines, setLines] = useState<Line[]>([]);
  // Made once per form, so a retry after a lost answer creates one transfer.
  const [transferId] = useState(newTransferId);
  const [busy, setBusy] = useState(false);

  const add = async (code: string) => {
    if (!from || code.trim() === '') return;
    try {
      const r = await call('barcodeLookup', { params: { storeId: from, barcode: code.trim() } });
      if (lines.some((l) => l.skuId === r.sku.id)) return;
      if (lines.length >= transfer_lines_max) return;
      setLines([...lines, { skuId: r.sku.id, name: r.product.name, qty: '1' }]);
      setBarcode('');
    } catch {
      /* the toast has said why */
    }
  };

  const submit = async () => {
    const parsed = lines.map((l) => ({ skuId: l.skuId, qty: parseQty(l.qty, transfer_qty_max) }));
    if (parsed.length === 0 || parsed.some((l) => !l.qty)) {
      void Taro.showToast({ title: '请添加商品并填写数量', icon: 'none' });
      return;
    }
    setBusy(true);
    try {
      const r = await call('createTransfer', { body: { transferId, fromStoreId: from, toStoreId: to, lines: parsed.map((l) => ({ skuId: l.skuId, qty: l.qty! })) } });
      void Taro.redirectTo({ url: `/pages/boss/stock/transfer?id=${r.transfer.id}` });
    } catch {
      /* the toast has said why */
    } finally {
      setBusy(false);
    }
  };

  const chips = (value: string, set: (id: string) => void, prefix: string) =>
    stores.map((s) => (
      <Text key={s.id} id={`${prefix}-${s.id}`} className={`chip ${s.id === value ? 'chip--active' : ''}`} onClick={() => set(s.id)}>
        {s.name}
      </Text>
    ));

  return (
    <View className='page'>
      <View className='section'>
        <View className='muted'>调出门店</View>
        <View>{chips(from, setFrom, 'from')}</View>
        <View className='muted'>调入门店</View>
        <View>{chips(to, setTo, 'to')}</View>
      </View>
      <View className='section'>
        <View className='row'>
          <Input id='transfer-barcode' className='text-input' placeholder='输入或扫描条码' value={barcode} onInput={(e) => setBarcode(e.detail.value)} onConfirm={() => void add(barcode)} />
          <Button className='row-button' size='mini' onClick={() => void scanBarcode().then((c) => (c ? add(c) : undefined))}>扫码</Button>
          <Button className='row-button' id='transfer-add' size='mini' onClick={() => void add(barcode)}>添加</Button>
        </View>
        {lines.map((l, i) => (
          <View key={l.skuId} className='stock-row row'>
            <Text>{l.name}</Text>
            <Input className='qty-input line-qty' type='number' value={l.qty} onInput={(e) => setLines(lines.map((x, j) => (j === i ? { ...x, qty: e.detail.value } : x)))} />
          </View>
        ))}
        <View className='actions'>
          <Button id='transfer-submit' type='primary' {...busyProps(busy || from === to, busy)} onClick={() => void submit()}>提交调拨申请</Button>
        </View>
      </View>
    </View>
  );
}

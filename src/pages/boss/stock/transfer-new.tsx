import { Button, Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { transfer_lines_max, transfer_qty_max } from '../../../../shared/api/stock-ops';
import { call } from '../../../services/api';
import { getSession } from '../../../services/session';
import { busyProps, newTransferId, parseQty } from '../../../services/stock-ops';
import { FieldRow } from '../components/field-row';
import { SkuPicker, useSkuSearch, type SkuPick } from '../components/sku-picker';
import './index.less';

interface Line {
  skuId: string;
  name: string;
  qty: string;
}

/** A transfer request: from one store to another, lines added by name, pinyin or barcode. */
export default function NewTransfer() {
  const stores = getSession('staff')?.stores ?? [];
  const [from, setFrom] = useState(stores[0]?.id ?? '');
  const [to, setTo] = useState(stores[1]?.id ?? '');
  const search = useSkuSearch(from || null);
  const [lines, setLines] = useState<Line[]>([]);
  // Made once per form, so a retry after a lost answer creates one transfer.
  const [transferId] = useState(newTransferId);
  const [busy, setBusy] = useState(false);

  const add = (pick: SkuPick) => {
    if (lines.some((l) => l.skuId === pick.skuId)) return;
    if (lines.length >= transfer_lines_max) {
      void Taro.showToast({ title: `一张调拨单最多 ${transfer_lines_max} 种商品`, icon: 'none' });
      return;
    }
    setLines((all) => [...all, { skuId: pick.skuId, name: pick.name, qty: '1' }]);
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
        <View className='section-title'>调拨商品</View>
        <SkuPicker search={search} inputId='transfer-barcode' goId='transfer-add' goLabel='添加' onPick={add} />
        {lines.map((l, i) => (
          <FieldRow key={l.skuId} label={l.name} unit='件'>
            <Input className='qty-input line-qty' type='number' value={l.qty} onInput={(e) => setLines(lines.map((x, j) => (j === i ? { ...x, qty: e.detail.value } : x)))} />
          </FieldRow>
        ))}
        <View className='actions'>
          <Button id='transfer-submit' type='primary' {...busyProps(busy || from === to, busy)} onClick={() => void submit()}>提交调拨申请</Button>
        </View>
      </View>
    </View>
  );
}

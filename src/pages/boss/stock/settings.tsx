import { Button, Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { batch_qty_max, transfer_qty_max } from '../../../../shared/api/stock-ops';
import { call } from '../../../services/api';
import { loadScope } from '../../../services/boss-scope-store';
import { scanBarcode } from '../../../services/counter-scan';
import { getSession } from '../../../services/session';
import { busyProps, newScanId, parseQty } from '../../../services/stock-ops';
import './index.less';

/** A store's minimum and maximum for one SKU, and batches with their expiry dates, found by barcode. */
export default function StockSettings() {
  const staff = getSession('staff');
  const stores = staff?.stores ?? [];
  const scope = staff ? loadScope(staff.stores) : { kind: 'all' as const };
  const [storeId, setStoreId] = useState(scope.kind === 'store' ? scope.storeId : (stores[0]?.id ?? ''));
  const [barcode, setBarcode] = useState('');
  const [sku, setSku] = useState<{ id: string; name: string } | null>(null);
  const [min, setMin] = useState('');
  const [max, setMax] = useState('');
  const [batchNo, setBatchNo] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const [qty, setQty] = useState('');
  const [busy, setBusy] = useState(false);

  const find = async (code: string) => {
    if (code.trim() === '' || !storeId) return;
    try {
      const r = await call('barcodeLookup', { params: { storeId, barcode: code.trim() } });
      setSku({ id: r.sku.id, name: r.product.name });
      const limits = await call('stockLimits', { params: { storeId } });
      const mine = limits.items.find((l) => l.skuId === r.sku.id);
      setMin(mine?.minQty === null || mine === undefined ? '' : String(mine.minQty));
      setMax(mine?.maxQty === null || mine === undefined ? '' : String(mine.maxQty));
    } catch {
      setSku(null);
    }
  };

  const run = async (work: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await work();
      void Taro.showToast({ title: done, icon: 'success' });
    } catch {
      /* the toast has said why */
    } finally {
      setBusy(false);
    }
  };

  const saveLimits = () => {
    if (!sku) return;
    const minQty = min.trim() === '' ? null : parseQty(min, transfer_qty_max);
    const maxQty = max.trim() === '' ? null : parseQty(max, transfer_qty_max);
    if ((min.trim() !== '' && minQty === null) || (max.trim() !== '' && (maxQty === null || maxQty === 0))) {
      void Taro.showToast({ title: '上下限须为整数，上限至少为 1', icon: 'none' });
      return;
    }
    void run(() => call('setStockLimits', { params: { storeId }, body: { items: [{ skuId: sku.id, minQty, maxQty }] } }), '已保存');
  };

  const saveBatch = () => {
    if (!sku) return;
    const n = parseQty(qty, batch_qty_max);
    if (!n || !/^\d{4}-\d{2}-\d{2}$/.test(expiresOn.trim()) || batchNo.trim() === '') {
      void Taro.showToast({ title: '请填写批号、到期日（如 2026-12-31）和数量', icon: 'none' });
      return;
    }
    void run(
      () => call('recordBatch', { body: { clientBatchRecordId: newScanId(), storeId, skuId: sku.id, batchNo: batchNo.trim(), expiresOn: expiresOn.trim(), qty: n } }),
      '已登记批次',
    );
  };

  return (
    <View className='page'>
      <View className='section'>
        <View>
          {stores.map((s) => (
            <Text key={s.id} className={`chip ${s.id === storeId ? 'chip--active' : ''}`} onClick={() => setStoreId(s.id)}>
              {s.name}
            </Text>
          ))}
        </View>
        <View className='row'>
          <Input id='settings-barcode' className='text-input' placeholder='输入或扫描条码' value={barcode} onInput={(e) => setBarcode(e.detail.value)} onConfirm={() => void find(barcode)} />
          <Button className='row-button' size='mini' onClick={() => void scanBarcode().then((c) => (c ? find(c) : undefined))}>扫码</Button>
          <Button className='row-button' id='settings-find' size='mini' onClick={() => void find(barcode)}>查找</Button>
        </View>
        {sku && <View id='settings-sku'>{sku.name}</View>}
      </View>
      {sku && (
        <View className='section' id='limits-form'>
          <View className='section-title'>库存上下限</View>
          <View className='row'>
            <Text>下限</Text>
            <Input id='limit-min' className='qty-input' type='number' placeholder='不设' value={min} onInput={(e) => setMin(e.detail.value)} />
            <Text>上限</Text>
            <Input id='limit-max' className='qty-input' type='number' placeholder='不设' value={max} onInput={(e) => setMax(e.detail.value)} />
          </View>
          <View className='actions'>
            <Button id='limits-save' size='mini' {...busyProps(busy)} onClick={saveLimits}>保存上下限</Button>
          </View>
        </View>
      )}
      {sku && (
        <View className='section' id='batch-form'>
          <View className='section-title'>登记批次</View>
          <Input className='text-input' placeholder='批号' value={batchNo} onInput={(e) => setBatchNo(e.detail.value)} />
          <Input className='text-input' placeholder='到期日，如 2026-12-31' value={expiresOn} onInput={(e) => setExpiresOn(e.detail.value)} />
          <Input className='text-input' type='number' placeholder='数量' value={qty} onInput={(e) => setQty(e.detail.value)} />
          <View className='muted'>商品需先开启批次管理。</View>
          <View className='actions'>
            <Button size='mini' {...busyProps(busy)} onClick={() => void run(() => call('batchTracking', { params: { skuId: sku.id }, body: { tracked: true } }), '已开启批次管理')}>开启批次管理</Button>
            <Button size='mini' {...busyProps(busy)} onClick={saveBatch}>登记</Button>
          </View>
        </View>
      )}
    </View>
  );
}

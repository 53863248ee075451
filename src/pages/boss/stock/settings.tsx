import { Button, Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { batch_qty_max, transfer_qty_max } from '../../../../shared/api/stock-ops';
import { call } from '../../../services/api';
import { loadScope } from '../../../services/boss-scope-store';
import { getSession } from '../../../services/session';
import { busyProps, newScanId, parseQty } from '../../../services/stock-ops';
import { DateRow, FieldRow } from '../components/field-row';
import { SkuPicker, useSkuSearch, type SkuPick } from '../components/sku-picker';
import './index.less';

/** A store's minimum and maximum for one SKU, and batches with their expiry dates; the SKU found by name, pinyin or barcode. */
export default function StockSettings() {
  const staff = getSession('staff');
  const stores = staff?.stores ?? [];
  const scope = staff ? loadScope(staff.stores) : { kind: 'all' as const };
  const [storeId, setStoreId] = useState(scope.kind === 'store' ? scope.storeId : (stores[0]?.id ?? ''));
  const search = useSkuSearch(storeId || null);
  const [sku, setSku] = useState<{ id: string; name: string } | null>(null);
  const [min, setMin] = useState('');
  const [max, setMax] = useState('');
  const [batchNo, setBatchNo] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const [qty, setQty] = useState('');
  const [busy, setBusy] = useState(false);

  const choose = async (pick: SkuPick) => {
    if (!storeId) return;
    try {
      setSku({ id: pick.skuId, name: pick.name });
      const limits = await call('stockLimits', { params: { storeId } });
      const mine = limits.items.find((l) => l.skuId === pick.skuId);
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
    if (!n || expiresOn === '' || batchNo.trim() === '') {
      void Taro.showToast({ title: '请填写批号、到期日和数量', icon: 'none' });
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
        <SkuPicker search={search} inputId='settings-barcode' goId='settings-find' onPick={(p) => void choose(p)} />
        {sku && <View id='settings-sku' className='count-chosen'>{sku.name}</View>}
      </View>
      {sku && (
        <View className='section' id='limits-form'>
          <View className='section-title'>库存上下限</View>
          <FieldRow label='下限' unit='件'>
            <Input id='limit-min' type='number' placeholder='不设' value={min} onInput={(e) => setMin(e.detail.value)} />
          </FieldRow>
          <FieldRow label='上限' unit='件'>
            <Input id='limit-max' type='number' placeholder='不设' value={max} onInput={(e) => setMax(e.detail.value)} />
          </FieldRow>
          <View className='actions'>
            <Button id='limits-save' size='mini' {...busyProps(busy)} onClick={saveLimits}>保存上下限</Button>
          </View>
        </View>
      )}
      {sku && (
        <View className='section' id='batch-form'>
          <View className='section-title'>登记批次</View>
          <FieldRow label='批号'>
            <Input id='batch-no' placeholder='包装上的批号' value={batchNo} onInput={(e) => setBatchNo(e.detail.value)} />
          </FieldRow>
          <DateRow label='到期日' id='batch-expires' value={expiresOn} onChange={setExpiresOn} />
          <FieldRow label='数量' unit='件'>
            <Input id='batch-qty' type='number' placeholder='本批数量' value={qty} onInput={(e) => setQty(e.detail.value)} />
          </FieldRow>
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

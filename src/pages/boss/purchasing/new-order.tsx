import { Button, Input, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useRef, useState } from 'react';
import type { SupplierView } from '../../../../shared/api/purchasing';
import { newId } from '../../../../shared/ids';
import { call } from '../../../services/api';
import { ApiError } from '../../../services/errors';
import { purchaseLinesFrom, type DraftLine } from '../../../services/purchasing';
import { FieldRow } from '../components/field-row';
import { SkuPicker, useSkuSearch, type SkuPick } from '../components/sku-picker';
import { chosenStore, purchasing_pages, staffOrSignIn } from './session';
import './purchasing.less';

/** Orders goods from a supplier for the store in view: pick the supplier, search goods, type quantity and unit cost. */
export default function NewPurchaseOrder() {
  const [suppliers, setSuppliers] = useState<SupplierView[]>([]);
  const [supplierId, setSupplierId] = useState('');
  const [storeId, setStoreId] = useState<string | null>(null);
  const [storeName, setStoreName] = useState('');
  const [draft, setDraft] = useState<DraftLine[]>([]);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const attempt = useRef<{ id: string; fingerprint: string } | null>(null);

  useDidShow(() => {
    const staff = staffOrSignIn(purchasing_pages.newOrder);
    if (!staff) return;
    const store = chosenStore(staff);
    setStoreId(store);
    setStoreName(staff.stores.find((s) => s.id === store)?.name ?? '');
    call('suppliers')
      .then((r) => setSuppliers(r.items.filter((s) => s.active)))
      .catch(() => undefined);
  });

  const search = useSkuSearch(storeId);
  const add = (pick: SkuPick) => {
    if (draft.some((d) => d.skuId === pick.skuId)) return;
    setDraft((d) => [...d, { skuId: pick.skuId, name: pick.name, qtyText: '', costText: '' }]);
  };
  const edit = (skuId: string, change: Partial<DraftLine>) => setDraft((d) => d.map((l) => (l.skuId === skuId ? { ...l, ...change } : l)));

  const submit = async () => {
    if (busy || !storeId) return;
    if (!supplierId) return setError('请选择供应商');
    const lines = purchaseLinesFrom(draft);
    if (!lines.ok) return setError(lines.message);
    setError('');
    const body = { supplierId, storeId, lines: lines.value };
    const fingerprint = JSON.stringify(body);
    const id = attempt.current?.fingerprint === fingerprint ? attempt.current.id : newId('purchaseOrder');
    attempt.current = { id, fingerprint };
    setBusy(true);
    try {
      const r = await call('createPurchaseOrder', { body: { ...body, id } });
      attempt.current = null;
      void Taro.redirectTo({ url: `${purchasing_pages.order}?id=${r.order.id}` });
    } catch (e) {
      if (e instanceof ApiError && e.status !== 0) attempt.current = null;
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className='page'>
      <View className='section'>
        <View className='section-title'>供应商 · {storeName}</View>
        {suppliers.length === 0 && (
          <View className='muted'>
            还没有供应商。<Text className='link' onClick={() => void Taro.navigateTo({ url: purchasing_pages.suppliers })}>先去添加 ›</Text>
          </View>
        )}
        <View className='chips' id='supplier-chips'>
          {suppliers.map((s) => (
            <Text key={s.id} className={`chip ${supplierId === s.id ? 'chip--on' : ''}`} data-supplier-id={s.id} onClick={() => setSupplierId(s.id)}>
              {s.name}
            </Text>
          ))}
        </View>
      </View>
      <View className='section'>
        <View className='section-title'>添加商品</View>
        <SkuPicker search={search} inputId='po-search' goId='po-search-go' goLabel='搜索' onPick={add} />
      </View>
      <View className='section' id='po-draft'>
        <View className='section-title'>采购明细（{draft.length}）</View>
        {draft.length === 0 && <View className='muted'>搜索商品后点一下加入。</View>}
        {draft.map((d) => (
          <View key={d.skuId} className='line-row draft-line' data-sku-id={d.skuId}>
            <View className='row'>
              <Text>{d.name}</Text>
              <Text className='link' onClick={() => setDraft((all) => all.filter((l) => l.skuId !== d.skuId))}>删除</Text>
            </View>
            <FieldRow label='数量' unit='件'>
              <Input className='draft-qty' type='number' placeholder='填写数量' value={d.qtyText} onInput={(e) => edit(d.skuId, { qtyText: e.detail.value })} />
            </FieldRow>
            <FieldRow label='进价' unit='元'>
              <Input className='draft-cost' type='digit' placeholder='每件进价' value={d.costText} onInput={(e) => edit(d.skuId, { costText: e.detail.value })} />
            </FieldRow>
          </View>
        ))}
        {error && <View className='form-error' id='po-error'>{error}</View>}
        <Button id='po-create' type='primary' loading={busy} disabled={busy} onClick={() => void submit()}>
          下单
        </Button>
      </View>
    </View>
  );
}

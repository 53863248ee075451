import { Button, Input, Text, View } from '@tarojs/components';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { stocktake_count_qty_max, type StocktakeView } from '../../../../shared/api/stock-ops';
import { formatFen } from '../../../../shared/money';
import { call } from '../../../services/api';
import { busyProps, newScanId, parseQty, reviewOrder, signed, varianceSummary } from '../../../services/stock-ops';
import { SkuPicker, useSkuSearch, type SkuPick } from '../components/sku-picker';
import './index.less';

/** Uncounted SKUs are named only as a reminder; the count is what matters. */
const uncounted_names_shown_max = 8;

/** Counting on the phone (each scan adds one; a typed number sets the exact count), then the manager's review and approval. */
export default function Stocktake() {
  const { params } = useRouter();
  const [s, setS] = useState<StocktakeView | null>(null);
  const search = useSkuSearch(s?.storeId ?? null);
  // The goods 加 1 and 设为此数 apply to: tapped in the list, or the barcode typed.
  const [chosen, setChosen] = useState<SkuPick | null>(null);
  const [exact, setExact] = useState('');
  const [busy, setBusy] = useState(false);

  const reload = () => (params.id ? call('stocktake', { params: { stocktakeId: params.id } }).then((r) => setS(r.stocktake)).catch(() => undefined) : Promise.resolve());
  useDidShow(() => void reload());

  /** A scan counts at once by its barcode; the buttons count what was chosen, or the barcode typed. */
  const count = async (what: { barcode: string } | { skuId: string } | null, mode: 'add' | 'set') => {
    if (!s || !what) return;
    const qty = mode === 'add' ? 1 : parseQty(exact, stocktake_count_qty_max);
    if (qty === null) {
      void Taro.showToast({ title: '数量须为整数', icon: 'none' });
      return;
    }
    setBusy(true);
    try {
      await call('countStocktake', { params: { stocktakeId: s.id }, body: { clientScanId: newScanId(), ...what, mode, qty } });
      search.clear();
      setChosen(null);
      setExact('');
      await reload();
    } catch {
      /* the toast has said why */
    } finally {
      setBusy(false);
    }
  };

  /** What the buttons count: the goods tapped, else the one whose barcode was typed (a name lists matches to tap). */
  const target = async (): Promise<{ skuId: string } | null> => {
    // With no exact barcode the picker lists the matches (or says none matched) for a tap.
    const pick = chosen ?? (await search.find());
    return pick ? { skuId: pick.skuId } : null;
  };

  const approve = async (uncounted: 'skip' | 'zero') => {
    if (!s) return;
    const ok = await Taro.showModal({ title: '审核盘点', content: uncounted === 'zero' ? '未盘到的商品将按 0 调整库存，确定吗？' : '按盘点差异调整库存，未盘的商品不变。确定吗？' });
    if (!ok.confirm) return;
    setBusy(true);
    try {
      setS((await call('approveStocktake', { params: { stocktakeId: s.id }, body: { uncounted } })).stocktake);
      void Taro.showToast({ title: '已审核', icon: 'success' });
    } catch {
      /* the toast has said why */
    } finally {
      setBusy(false);
    }
  };

  if (!s) return <View className='page'><View className='section muted'>加载中…</View></View>;
  const { counted, uncounted } = reviewOrder(s.lines);
  const sum = s.status === 'approved' ? { gainFen: s.gainFen, lossFen: s.lossFen, lines: counted.filter((l) => l.adjustedQty).length } : varianceSummary(s.lines);

  return (
    <View className='page'>
      <View className='section' id='stocktake-head' data-status={s.status}>
        <View className='section-title'>{s.storeName} · {s.categoryName ?? '全店'}盘点</View>
        <View className='muted'>已盘 {s.countedCount}/{s.lineCount} · {s.status === 'counting' ? '盘点中' : s.status === 'approved' ? '已审核' : '已取消'}</View>
        <View className='row' id='stocktake-summary'>
          <Text className='gain'>盘盈 {formatFen(sum.gainFen)}</Text>
          <Text className='loss'>盘亏 {formatFen(sum.lossFen)}</Text>
          <Text className='muted'>{sum.lines} 个商品有差异</Text>
        </View>
      </View>

      {s.status === 'counting' && (
        <View className='section' id='stocktake-count'>
          <SkuPicker search={search} inputId='count-barcode' goId='count-find' onPick={setChosen} onScan={(code) => void count({ barcode: code }, 'add')} />
          {chosen && <View id='count-chosen' className='count-chosen'>清点：{chosen.name}</View>}
          <View className='row count-controls'>
            <Button className='row-button' id='count-add' size='mini' {...busyProps(busy)} onClick={() => void target().then((t) => count(t, 'add'))}>加 1</Button>
            <Input id='count-exact' className='qty-input' type='number' placeholder='数量' value={exact} onInput={(e) => setExact(e.detail.value)} />
            <Button className='row-button' id='count-set' size='mini' {...busyProps(busy)} onClick={() => void target().then((t) => count(t, 'set'))}>设为此数</Button>
          </View>
          <View className='muted'>扫一次加 1；清点完一种商品也可直接填总数。盘点期间照常销售，差异按清点时的账面数计算。</View>
        </View>
      )}

      <View className='section' id='stocktake-lines'>
        <View className='row muted'>
          <Text>商品</Text>
          <Text>账面 / 实盘 / 差异</Text>
        </View>
        {counted.length === 0 && <View className='muted empty'>还没有清点。</View>}
        {counted.map((l) => (
          <View key={l.skuId} className='stock-row row count-row' data-sku-id={l.skuId} data-variance={String(l.varianceQty)}>
            <View>
              <View>{l.name}</View>
              <View className='muted'>{l.spec || l.barcode}</View>
            </View>
            <View>
              <View>
                {l.bookQty} / {l.countedQty} / <Text className={(l.varianceQty ?? 0) < 0 ? 'loss' : (l.varianceQty ?? 0) > 0 ? 'gain' : ''}>{signed(l.varianceQty ?? 0)}</Text>
              </View>
              {l.varianceFen ? <View className='muted'>{formatFen(l.varianceFen)}</View> : null}
            </View>
          </View>
        ))}
        {uncounted.length > 0 && (
          <View className='muted list-end' id='uncounted'>
            未盘 {uncounted.length} 个：{uncounted.slice(0, uncounted_names_shown_max).map((l) => (l.spec ? `${l.name}（${l.spec}）` : l.name)).join('、')}
            {uncounted.length > uncounted_names_shown_max ? ' 等' : ''}
          </View>
        )}
      </View>

      {s.status === 'counting' && (
        <View className='section actions' id='stocktake-approve'>
          <Button id='approve-skip' type='primary' {...busyProps(busy, true)} onClick={() => void approve('skip')}>审核（未盘的不调整）</Button>
          <Button id='approve-zero' {...busyProps(busy)} onClick={() => void approve('zero')}>审核（未盘的按 0）</Button>
        </View>
      )}
    </View>
  );
}

import { Button, Input, Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { ProductSummary } from '../../../../shared/api/catalog';
import { call } from '../../../services/api';
import { scanBarcode } from '../../../services/counter-scan';
import './sku-picker.less';

/** One SKU as the boss pages pick it: enough to name it on a line and to send its id or barcode. */
export interface SkuPick {
  skuId: string;
  barcode: string;
  /** The product's name, with the SKU's spec when it has one ("可乐 330ml"). */
  name: string;
  available: number;
}

/** Rows the picker lists at most; a longer list means the words were too few. */
export const sku_picker_rows_max = 20;

/** A code of digits only is a barcode typed or scanned, so an exact match is taken without a second tap. */
const barcode_like = /^\d{6,32}$/;

export function skuPicksOf(products: readonly ProductSummary[]): SkuPick[] {
  return products.flatMap((p) =>
    p.skus.map((s) => {
      const spec = Object.values(s.spec).join(' / ');
      return { skuId: s.id, barcode: s.barcode, name: spec ? `${p.name} ${spec}` : p.name, available: s.available };
    }),
  );
}

/**
 * The search behind the picker, for the pages that act on what it finds (the
 * stocktake's 加 1 takes the typed barcode without a tap on a row). The store's
 * product search matches a name, its pinyin initials or a barcode, so a name
 * typed where a barcode was expected finds the goods rather than an error.
 */
export function useSkuSearch(storeId: string | null) {
  const [text, setText] = useState('');
  const [found, setFound] = useState<SkuPick[]>([]);
  const [message, setMessage] = useState('');

  /** Searches; resolves to the one SKU whose barcode is exactly what was typed, else null (the rows are listed to tap). */
  const find = async (typed = text): Promise<SkuPick | null> => {
    const q = typed.trim();
    if (!storeId || q === '') return null;
    try {
      const r = await call('storeProducts', { params: { storeId }, query: { q, limit: sku_picker_rows_max }, quiet: true });
      const picks = skuPicksOf(r.items);
      setFound(picks);
      setMessage(picks.length === 0 ? `没有找到“${q}”，请换个商品名、拼音首字母或条码试试` : '');
      return barcode_like.test(q) ? (picks.find((p) => p.barcode === q) ?? null) : null;
    } catch {
      setFound([]);
      setMessage('暂时查不到商品，请检查网络后再试');
      return null;
    }
  };

  const clear = () => {
    setText('');
    setFound([]);
    setMessage('');
  };

  return { text, setText, found, message, find, clear };
}

export type SkuSearch = ReturnType<typeof useSkuSearch>;

interface Props {
  search: SkuSearch;
  /** Element ids the pages' tests and styles know: the field and the find button. */
  inputId: string;
  goId: string;
  goLabel?: string;
  onPick: (pick: SkuPick) => void;
  /** Left out where the page has its own scan (the stocktake counts a scan at once). */
  onScan?: (code: string) => void;
}

/**
 * One way to choose goods on every boss page (purchasing, transfers, stocktake,
 * limits and batches): type a name, its pinyin initials or a barcode, or scan;
 * a barcode that matches picks at once, anything else lists the matches to tap.
 */
export function SkuPicker({ search, inputId, goId, goLabel = '查找', onPick, onScan }: Props) {
  const go = async (typed?: string) => {
    const exact = await search.find(typed);
    if (!exact) return;
    onPick(exact);
    search.clear();
  };
  const scan = async () => {
    const code = await scanBarcode();
    if (!code) return;
    search.setText(code);
    if (onScan) onScan(code);
    else await go(code);
  };
  return (
    <View className='sku-picker'>
      <View className='row'>
        <Input
          id={inputId}
          className='sku-picker-input'
          placeholder='商品名、拼音首字母或条码'
          confirmType='search'
          value={search.text}
          onInput={(e) => search.setText(e.detail.value)}
          onConfirm={() => void go()}
        />
        <Button className='sku-picker-button' size='mini' onClick={() => void scan()}>
          扫码
        </Button>
        <Button className='sku-picker-button' id={goId} size='mini' onClick={() => void go()}>
          {goLabel}
        </Button>
      </View>
      {search.message && <View className='sku-picker-message'>{search.message}</View>}
      {search.found.map((p) => (
        <View key={p.skuId} className='row sku-picker-row found-sku' data-sku-id={p.skuId} onClick={() => onPick(p)}>
          <Text className='sku-picker-name'>{p.name}</Text>
          <Text className='muted'>库存 {p.available} ＋</Text>
        </View>
      ))}
    </View>
  );
}

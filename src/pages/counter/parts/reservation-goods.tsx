import { Button, Input, Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import type { ProductSummary } from '../../../../shared/api/catalog';
import { call } from '../../../services/api';
import { addToBill, lineFor, setLineQty, type CounterBill } from '../../../services/counter-cart';

const search_page_size = 8;
const search_debounce_ms = 250;

interface Props {
  storeId: string;
  bill: CounterBill;
  /** Changes the goods reserved from their latest value, as React state updaters do. */
  onBill: (change: (bill: CounterBill) => CounterBill) => void;
}

/** The goods of a new reservation: a search that lists every size with what is available, and the chosen lines. */
export function ReservationGoods({ storeId, bill, onBill }: Props) {
  const [typed, setTyped] = useState('');
  const [results, setResults] = useState<ProductSummary[]>([]);

  // Unlike the billing screen, nothing is listed until something is typed: a reservation is for goods asked for by name.
  useEffect(() => {
    if (!storeId || typed.trim() === '') {
      setResults([]);
      return;
    }
    const timer = setTimeout(() => {
      call('storeProducts', { params: { storeId }, query: { q: typed.trim(), limit: search_page_size }, quiet: true }).then((p) => setResults(p.items), () => setResults([]));
    }, search_debounce_ms);
    return () => clearTimeout(timer);
  }, [typed, storeId]);

  return (
    <>
      <Input id='reservation-search' className='counter-input' placeholder='搜索商品（名称、拼音首字母、条码）' value={typed} onInput={(e) => setTyped(e.detail.value)} />
      {results.flatMap((p) =>
        p.skus.map((s) => (
          <View
            key={s.id}
            className='row list-item reservation-result'
            data-sku-id={s.id}
            onClick={() => {
              onBill((b) => addToBill(b, lineFor(p, s)));
              setTyped('');
            }}
          >
            <Text>
              {p.name} {Object.values(s.spec).join(' / ')}
            </Text>
            <Text className='muted'>可用 {s.available}</Text>
          </View>
        )),
      )}
      {bill.lines.map((l) => (
        <View key={l.skuId} className='row cart-line reservation-line'>
          <Text>
            {l.name} {l.spec}
          </Text>
          <View className='row'>
            <Button size='mini' onClick={() => onBill((b) => setLineQty(b, l.skuId, l.qty - 1))}>
              −
            </Button>
            <Text className='qty-value'>{l.qty}</Text>
            <Button size='mini' onClick={() => onBill((b) => setLineQty(b, l.skuId, l.qty + 1))}>
              ＋
            </Button>
          </View>
        </View>
      ))}
    </>
  );
}

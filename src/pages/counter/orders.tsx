import { Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { formatFen } from '../../../shared/money';
import { formatShanghaiTime } from '../../../shared/receipt/layout';
import { call } from '../../services/api';
import { tenderLabel } from '../../services/tenders';
import { shanghaiToday } from '../../services/counter-context';
import { useCounterProfile } from './hooks';
import './counter.less';

type OrderSummary = Awaited<ReturnType<typeof call<'orders'>>>['items'][number];

const search_debounce_ms = 300;
const orders_page_size = 50;

export default function Orders() {
  const { store } = useCounterProfile('/pages/counter/orders');
  const [typed, setTyped] = useState('');
  const [orders, setOrders] = useState<OrderSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const storeId = store?.id ?? '';

  const load = async (q: string, after: string | null) => {
    if (!storeId) return;
    setLoading(true);
    try {
      const page = await call('orders', {
        query: { storeId, date: shanghaiToday(), ...(q ? { q } : {}), ...(after ? { cursor: after } : {}), limit: orders_page_size },
      });
      setOrders((prev) => (after ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch {
      // call() has shown the reason.
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    const timer = setTimeout(() => void load(typed.trim(), null), search_debounce_ms);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [typed, storeId]);

  return (
    <View className='page counter'>
      <View className='section'>
        <Input id='order-search' className='counter-input' placeholder='按小票号搜索' value={typed} onInput={(e) => setTyped(e.detail.value)} />
      </View>
      <View className='section' id='orders'>
        {orders.length === 0 && !loading && <View className='muted'>今天还没有订单</View>}
        {orders.map((o) => (
          <View key={o.id} className='list-item order-item' data-order-id={o.id} data-receipt-no={o.receiptNo}>
            <View className='row'>
              <Text>{o.receiptNo}</Text>
              <Text className='price'>{formatFen(o.totalFen)}</Text>
            </View>
            <View className='muted'>
              {formatShanghaiTime(o.createdAt)} · {o.itemCount} 件{o.memberName ? ` · ${o.memberName}` : ''}
              {o.refundedFen > 0 ? ` · 已退 ${formatFen(o.refundedFen)}` : ''}
              {o.offline ? ' · 离线单' : ''}
            </View>
            {(o.tenders.length > 0 || o.pickupCode) && (
              <View className='muted order-tenders'>
                {o.tenders.map(tenderLabel).join(' + ')}
                {o.pickupCode ? ` · 取货码 ${o.pickupCode}` : ''}
                {o.tableNo ? ` · ${o.tableNo} 桌` : ''}
              </View>
            )}
            <View className='row'>
              <Text className='link order-receipt' onClick={() => void Taro.navigateTo({ url: `/pages/counter/receipt?orderId=${o.id}` })}>
                小票
              </Text>
              <Text className='link order-return' onClick={() => void Taro.navigateTo({ url: `/pages/counter/return?orderId=${o.id}` })}>
                退货
              </Text>
            </View>
          </View>
        ))}
        {cursor && (
          <View className='list-end muted' onClick={() => void load(typed.trim(), cursor)}>
            {loading ? '加载中…' : '加载更多'}
          </View>
        )}
      </View>
    </View>
  );
}

import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useState } from 'react';
import { z } from 'zod';
import type { purchaseOrdersResponse, PurchaseOrderStatus } from '../../../../shared/api/purchasing';
import { formatFen } from '../../../../shared/money';
import { call } from '../../../services/api';
import { scopeQuery } from '../../../services/boss-scope';
import { loadScope } from '../../../services/boss-scope-store';
import { po_status_labels } from '../../../services/purchasing';
import { purchasing_pages, staffOrSignIn } from './session';
import './purchasing.less';

type Summary = z.infer<typeof purchaseOrdersResponse>['items'][number];
const filters: (PurchaseOrderStatus | 'all')[] = ['all', 'ordered', 'partially_received', 'received', 'draft', 'cancelled'];

/** Purchase orders of the stores in view, newest first, and the way to everything else in purchasing. */
export default function PurchasingHome() {
  const [items, setItems] = useState<Summary[] | null>(null);
  const [status, setStatus] = useState<PurchaseOrderStatus | 'all'>('all');

  const load = (s = status) => {
    const staff = staffOrSignIn(purchasing_pages.home);
    if (!staff) return Promise.resolve();
    const query = { ...scopeQuery(loadScope(staff.stores)), ...(s === 'all' ? {} : { status: s }) };
    return call('purchaseOrders', { query })
      .then((r) => setItems(r.items))
      .catch(() => setItems([]));
  };
  useDidShow(() => void load());
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));
  const go = (url: string) => void Taro.navigateTo({ url });

  return (
    <View className='page'>
      <View className='section nav-grid' id='purchasing-nav'>
        <Text className='nav-item' id='nav-new-order' onClick={() => go(purchasing_pages.newOrder)}>＋ 新建采购单</Text>
        <Text className='nav-item' id='nav-payables' onClick={() => go(purchasing_pages.payables)}>应付账款</Text>
        <Text className='nav-item' id='nav-suppliers' onClick={() => go(purchasing_pages.suppliers)}>供应商</Text>
        <Text className='nav-item' id='nav-reorder' onClick={() => go(purchasing_pages.reorder)}>补货建议</Text>
      </View>
      <View className='section'>
        <View className='section-title'>采购单</View>
        <View className='chips'>
          {filters.map((f) => (
            <Text key={f} className={`chip ${status === f ? 'chip--on' : ''}`} onClick={() => { setStatus(f); void load(f); }}>
              {f === 'all' ? '全部' : po_status_labels[f]}
            </Text>
          ))}
        </View>
        {!items && <View className='muted'>加载中…</View>}
        {items?.length === 0 && <View className='muted empty'>还没有采购单。点「新建采购单」向供应商订货，到货后在采购单里收货。</View>}
        {items?.map((o) => (
          <View key={o.id} className='po-row' data-po-id={o.id} onClick={() => go(`${purchasing_pages.order}?id=${o.id}`)}>
            <View className='row'>
              <Text>
                {o.supplierName}
                <Text className={`status-tag status-tag--${o.status}`}>{po_status_labels[o.status]}</Text>
              </Text>
              <Text className='price'>{formatFen(o.orderedFen)}</Text>
            </View>
            <View className='row muted'>
              <Text>
                {o.storeName} · {o.businessDate} · {o.lineCount} 种
              </Text>
              <Text>已收 {formatFen(o.receivedFen)}</Text>
            </View>
          </View>
        ))}
      </View>
    </View>
  );
}

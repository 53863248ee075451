import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useState } from 'react';
import type { StoreSummary } from '../../../../shared/api/identity';
import type { ResponseOf } from '../../../../shared/api/routes';
import { formatFen } from '../../../../shared/money';
import { call, sign_in_page } from '../../../services/api';
import { loadScope } from '../../../services/boss-scope-store';
import { getSession } from '../../../services/session';
import { alert_kind_labels, alert_kinds, busyProps, newStocktakeId, stock_list_shown_max, transfer_status_labels } from '../../../services/stock-ops';
import './index.less';

interface Loaded {
  stores: readonly StoreSummary[];
  alerts: ResponseOf<'stockAlerts'>[];
  transfers: ResponseOf<'transfers'> | null;
  stocktakes: ResponseOf<'stocktakes'> | null;
}

/** 库存作业: alerts per store with the reason per SKU, transfers with what is on the road, and stocktakes. */
export default function StockOps() {
  const [data, setData] = useState<Loaded | null>(null);
  const [starting, setStarting] = useState(false);

  const load = async () => {
    const staff = getSession('staff');
    if (!staff) {
      void Taro.redirectTo({ url: `${sign_in_page}?redirect=${encodeURIComponent('/pages/boss/stock/index')}` });
      return;
    }
    const scope = loadScope(staff.stores);
    const stores = scope.kind === 'store' ? staff.stores.filter((s) => s.id === scope.storeId) : staff.stores;
    const query = scope.kind === 'store' ? { storeId: scope.storeId } : {};
    const [alerts, transfers, stocktakes] = await Promise.all([
      Promise.all(stores.map((s) => call('stockAlerts', { params: { storeId: s.id }, quiet: true }).catch(() => null))),
      call('transfers', { query }).catch(() => null),
      call('stocktakes', { query }).catch(() => null),
    ]);
    setData({ stores, alerts: alerts.filter((a): a is ResponseOf<'stockAlerts'> => a !== null), transfers, stocktakes });
  };

  useDidShow(() => void load());
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  const startCount = async (storeId: string) => {
    setStarting(true);
    try {
      const r = await call('startStocktake', { body: { stocktakeId: newStocktakeId(), storeId } });
      void Taro.navigateTo({ url: `/pages/boss/stock/stocktake?id=${r.stocktake.id}` });
    } catch {
      /* the toast has said why */
    } finally {
      setStarting(false);
    }
  };

  if (!data) return <View className='page'><View className='section muted'>加载中…</View></View>;
  const storeName = (id: string) => data.stores.find((s) => s.id === id)?.name ?? '';

  return (
    <View className='page'>
      <View className='section' id='stock-alerts'>
        <View className='row'>
          <Text className='section-title'>库存预警</Text>
          <Text className='muted' id='open-stock-settings' onClick={() => void Taro.navigateTo({ url: '/pages/boss/stock/settings' })}>上下限与批次 ›</Text>
        </View>
        {data.alerts.map((a) => (
          <View key={a.storeId} className='stock-store' data-store-id={a.storeId}>
            <View className='row'>
              <Text className='stock-store-name'>{storeName(a.storeId)}</Text>
              <Text className='muted'>{alert_kinds.map((k) => `${alert_kind_labels[k]} ${a.counts[k] ?? 0}`).join(' · ')}</Text>
            </View>
            {a.items.length === 0 && <View className='muted empty'>没有预警。设置了上下限的商品缺货或积压、久未售出、批次临期时会列在这里。</View>}
            {a.items.slice(0, stock_list_shown_max).map((i) => (
              <View key={i.skuId} className='stock-row alert-row' data-sku-id={i.skuId}>
                <View className='row'>
                  <Text>{i.name}{i.spec ? ` · ${i.spec}` : ''}</Text>
                  <Text className='muted'>库存 {i.onHand}</Text>
                </View>
                {i.reasons.map((r) => (
                  <View key={r.kind + r.text} className={`alert-reason alert-${r.kind}`}>
                    【{alert_kind_labels[r.kind]}】{r.text}
                  </View>
                ))}
              </View>
            ))}
            {a.items.length > stock_list_shown_max && <View className='muted list-end'>还有 {a.items.length - stock_list_shown_max} 个商品</View>}
          </View>
        ))}
      </View>

      <View className='section' id='transfers'>
        <View className='row'>
          <Text className='section-title'>调拨</Text>
          <Text className='muted' id='in-transit-total'>
            在途 {data.transfers?.inTransit.qty ?? 0} 件 · {formatFen(data.transfers?.inTransit.valueFen ?? 0)}
          </Text>
        </View>
        {data.transfers?.items.length === 0 && <View className='muted empty'>还没有调拨单。</View>}
        {data.transfers?.items.map((t) => (
          <View key={t.id} className='stock-row transfer-row' data-transfer-id={t.id} onClick={() => void Taro.navigateTo({ url: `/pages/boss/stock/transfer?id=${t.id}` })}>
            <View className='row'>
              <Text>{t.fromStore.name} → {t.toStore.name}</Text>
              <Text className={`status status-${t.status}`}>{transfer_status_labels[t.status]}</Text>
            </View>
            <View className='muted'>
              {t.lines.length} 种商品{t.inTransitQty > 0 ? ` · 在途 ${t.inTransitQty} 件` : ''}{t.varianceQty > 0 ? ` · 短少 ${t.varianceQty} 件 ${formatFen(t.varianceFen)}` : ''}
            </View>
          </View>
        ))}
        <Button id='new-transfer' size='mini' onClick={() => void Taro.navigateTo({ url: '/pages/boss/stock/transfer-new' })}>新建调拨</Button>
      </View>

      <View className='section' id='stocktakes'>
        <View className='section-title'>盘点</View>
        {data.stocktakes?.items.length === 0 && <View className='muted empty'>还没有盘点。开始后，店员也可以用手机扫码清点。</View>}
        {data.stocktakes?.items.map((s) => (
          <View key={s.id} className='stock-row stocktake-row' data-stocktake-id={s.id} onClick={() => void Taro.navigateTo({ url: `/pages/boss/stock/stocktake?id=${s.id}` })}>
            <View className='row'>
              <Text>{s.storeName} · {s.categoryName ?? '全店'}</Text>
              <Text className={`status status-${s.status}`}>{s.status === 'counting' ? '盘点中' : s.status === 'approved' ? '已审核' : '已取消'}</Text>
            </View>
            <View className='muted'>
              已盘 {s.countedCount}/{s.lineCount}{s.status === 'approved' ? ` · 盘盈 ${formatFen(s.gainFen)} · 盘亏 ${formatFen(s.lossFen)}` : ''}
            </View>
          </View>
        ))}
        {data.stores.map((s) => (
          <Button key={s.id} className='start-count' data-store-id={s.id} size='mini' {...busyProps(starting)} onClick={() => void startCount(s.id)}>
            {s.name}开始全店盘点
          </Button>
        ))}
      </View>
    </View>
  );
}

import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useState } from 'react';
import type { StoreSummary } from '../../../../shared/api/identity';
import type { InventoryHealthResponse } from '../../../../shared/api/inventory-health';
import { figureLabels } from '../../../../shared/figures';
import { formatFen } from '../../../../shared/money';
import { call, sign_in_page } from '../../../services/api';
import { loadScope } from '../../../services/boss-scope-store';
import { addDays } from '../../../services/reservations';
import { shanghaiToday } from '../../../services/counter-context';
import { componentLabels, figureRows, health_periods_days, healthStore, scoreTone } from '../../../services/inventory-health';
import { getSession } from '../../../services/session';
import './index.less';

/** A store's inventory health: the score, what it is made of, the SKUs that pull it down, last year, and what to stock. */
export default function InventoryHealth() {
  const [stores, setStores] = useState<readonly StoreSummary[]>([]);
  const [store, setStore] = useState<StoreSummary | null>(null);
  const [days, setDays] = useState<number>(health_periods_days[0]);
  const [report, setReport] = useState<InventoryHealthResponse | null>(null);
  const [failed, setFailed] = useState(false);

  const load = (chosen = store, period = days) => {
    const staff = getSession('staff');
    if (!staff) {
      void Taro.redirectTo({ url: `${sign_in_page}?redirect=${encodeURIComponent('/pages/boss/health/index')}` });
      return Promise.resolve();
    }
    setStores(staff.stores);
    const target = chosen ?? healthStore(loadScope(staff.stores), staff.stores);
    setStore(target);
    if (!target) return Promise.resolve();
    setFailed(false);
    const to = shanghaiToday();
    return call('inventoryHealth', { query: { storeId: target.id, from: addDays(to, -(period - 1)), to } })
      .then(setReport)
      .catch(() => setFailed(true));
  };

  useDidShow(() => void load());
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  const choose = (s: StoreSummary | null, d: number) => {
    setReport(null);
    setDays(d);
    void load(s, d);
  };

  const r = report;
  return (
    <View className='page'>
      <View className='section'>
        <View className='row'>
          <View>
            {stores.map((s) => (
              <Text key={s.id} className={s.id === store?.id ? 'health-chip health-chip--on' : 'health-chip'} onClick={() => choose(s, days)}>
                {s.name}
              </Text>
            ))}
          </View>
        </View>
        <View className='row' style={{ marginTop: '12px' }}>
          <View>
            {health_periods_days.map((d) => (
              <Text key={d} id={`health-days-${d}`} className={d === days ? 'health-chip health-chip--on' : 'health-chip'} onClick={() => choose(store, d)}>
                近 {d} 天
              </Text>
            ))}
          </View>
        </View>
      </View>

      {!r && <View className='section muted'>{failed ? '加载失败，下拉刷新重试' : '加载中…'}</View>}
      {r && (
        <>
          <View className='section' id='health-summary'>
            <View className='muted'>
              {r.from} 至 {r.to}（{r.days} 天）健康度
            </View>
            <View className='row'>
              <Text id='health-score' className={`health-score health-score--${scoreTone(r.store.score)}`}>
                {r.store.score ?? '—'}
              </Text>
              <View className='health-num'>
                <View className='muted'>去年同期 {r.lastYear.from} 至 {r.lastYear.to}</View>
                <View id='health-last-year'>{r.lastYear.health.score ?? '暂无数据'}</View>
              </View>
            </View>
            <View className='muted' id='health-stock-figures'>
              {figureLabels.averageInventoryFen}（按天平均，成本）{formatFen(Math.round(r.store.figures.averageInventoryFen))} · {figureLabels.endValueFen}（成本）{formatFen(r.store.sums.endValueFen)} · 其中{figureLabels.slowValueFen} {formatFen(r.store.sums.slowValueFen)} · 期内销售成本 {formatFen(r.store.sums.cogsFen)}
            </View>
          </View>

          <View className='section' id='health-components'>
            <View className='section-title'>构成（权重 周转 {r.weights.turnover} · 售罄 {r.weights.sellThrough} · 滞销 {r.weights.slowMoving} · 缺货 {r.weights.stockout}）</View>
            {figureRows(r.store).map((f) => (
              <View key={f.key} className='row health-row' data-component={f.key}>
                <Text>{f.label}</Text>
                <View className='health-num'>
                  <View>{f.value}</View>
                  <View className='muted'>{f.score === null ? '不适用' : `${Math.round(f.score)} 分`}</View>
                </View>
              </View>
            ))}
            <View className='muted'>滞销：{r.slowDays} 天内无销售的库存；缺货：可用库存为 0 的天数。</View>
          </View>

          <View className='section' id='health-worst'>
            <View className='section-title'>拖分最多的商品</View>
            {r.worstSkus.length === 0 && <View className='muted empty'>没有拖分的商品</View>}
            {r.worstSkus.map((w) => (
              <View key={w.skuId} className='row health-row worst-sku' data-sku-id={w.skuId}>
                <View>
                  <View>
                    {w.name} {w.spec}
                  </View>
                  <View className='muted'>
                    {componentLabels[w.reason]}：{w.reasonText}
                  </View>
                </View>
                <Text className='price'>−{w.dragPoints.toFixed(1)} 分</Text>
              </View>
            ))}
          </View>

          <View className='section' id='health-categories'>
            <View className='section-title'>分类</View>
            {r.categories.map((c) => (
              <View key={c.categoryId} className='row health-row'>
                <Text>
                  {c.name}（{c.skuCount} 个 SKU）
                </Text>
                <Text className={`health-score--${scoreTone(c.health.score)}`}>{c.health.score ?? '—'}</Text>
              </View>
            ))}
          </View>

          <View className='section' id='health-suggestions'>
            <View className='section-title'>
              建议备货（{r.suggestions.from} 至 {r.suggestions.to}）
            </View>
            <View className='muted'>{r.suggestions.method}</View>
            {r.suggestions.items.length === 0 && <View className='muted empty'>销售记录不足，暂无建议</View>}
            {r.suggestions.items.map((s) => (
              <View key={s.skuId} className='row health-row suggestion' data-sku-id={s.skuId}>
                <View>
                  <View>
                    {s.name} {s.spec}
                  </View>
                  <View className='muted'>
                    去年同期 {s.lastYearQty} · 近 8 周 {s.recentQty} · 趋势 ×{s.trend} · 可用 {s.available}
                  </View>
                </View>
                <View className='health-num'>
                  <View>建议 {s.suggestedQty}</View>
                  <View className={s.orderQty > 0 ? 'price' : 'muted'}>补 {s.orderQty}</View>
                </View>
              </View>
            ))}
          </View>
        </>
      )}
    </View>
  );
}

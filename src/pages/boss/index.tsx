import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useMemo, useRef, useState } from 'react';
import type { StoreSummary } from '../../../shared/api/identity';
import type { ResponseOf } from '../../../shared/api/routes';
import { formatFen } from '../../../shared/money';
import { call, showError, sign_in_page } from '../../services/api';
import { best_sellers_limit, daily_chart_days, dailyPoints, shortBeijingTime, tenderBars } from '../../services/boss-dashboard';
import { scopeLabel, scopeOptions, scopeQuery, type BossScope } from '../../services/boss-scope';
import { loadScope, saveScope } from '../../services/boss-scope-store';
import { getSession } from '../../services/session';
import { DailyChart } from './components/daily-chart';
import { PendingReturns } from './components/pending-returns';
import { StoreSwitcher } from './components/store-switcher';
import { StockAlertsEntry } from './components/stock-alerts-entry';
import { TenderChart } from './components/tender-chart';
import './index.less';

interface Dashboard {
  today: ResponseOf<'bossToday'> | null;
  byAssistant: ResponseOf<'bossByAssistant'> | null;
  daily: ResponseOf<'bossDaily'> | null;
  bestSellers: ResponseOf<'bossBestSellers'> | null;
  flagged: ResponseOf<'flaggedOrders'> | null;
  pendingReturns: ResponseOf<'returns'> | null;
}

const tender_chart_bars_min = 2;

const nothing: Dashboard = { today: null, byAssistant: null, daily: null, bestSellers: null, flagged: null, pendingReturns: null };

function settled<T>(result: PromiseSettledResult<T>): T | null {
  return result.status === 'fulfilled' ? result.value : null;
}

export default function Boss() {
  const [merchant, setMerchant] = useState('');
  const [stores, setStores] = useState<readonly StoreSummary[]>([]);
  const [scope, setScope] = useState<BossScope>({ kind: 'all' });
  const [data, setData] = useState<Dashboard>(nothing);
  const [loaded, setLoaded] = useState(false);
  // A slow answer for the previous store must not overwrite the current one.
  const generation = useRef(0);

  const load = async (chosen?: BossScope): Promise<void> => {
    const staff = getSession('staff');
    if (!staff) {
      void Taro.redirectTo({ url: `${sign_in_page}?redirect=${encodeURIComponent('/pages/boss/index')}` });
      return;
    }
    setMerchant(staff.merchant.name);
    setStores(staff.stores);
    const target = chosen ?? loadScope(staff.stores);
    setScope(target);
    const mine = ++generation.current;
    const query = scopeQuery(target);
    const quiet = true;
    const results = await Promise.allSettled([
      call('bossToday', { query, quiet }),
      call('bossByAssistant', { query, quiet }),
      call('bossDaily', { query: { ...query, days: daily_chart_days }, quiet }),
      call('bossBestSellers', { query: { ...query, limit: best_sellers_limit }, quiet }),
      call('flaggedOrders', { query, quiet }),
      call('returns', { query: { ...query, status: 'pending_approval' }, quiet }),
    ] as const);
    if (mine !== generation.current) return;
    const [today, byAssistant, daily, bestSellers, flagged, pendingReturns] = results;
    setData({
      today: settled(today),
      byAssistant: settled(byAssistant),
      daily: settled(daily),
      bestSellers: settled(bestSellers),
      flagged: settled(flagged),
      pendingReturns: settled(pendingReturns),
    });
    setLoaded(true);
    // One toast for the whole screen, not one per panel.
    const firstFailure = results.find((r) => r.status === 'rejected');
    if (firstFailure) showError(firstFailure.reason);
  };

  useDidShow(() => void load());
  usePullDownRefresh(() => void load(scope).finally(() => Taro.stopPullDownRefresh()));

  const changeScope = (next: BossScope) => {
    saveScope(next);
    setData(nothing);
    setLoaded(false);
    void load(next);
  };

  const { today, byAssistant, daily, bestSellers, flagged, pendingReturns } = data;
  const options = useMemo(() => scopeOptions(stores), [stores]);
  const bars = useMemo(() => tenderBars(today?.byTender ?? []), [today]);
  const points = useMemo(() => dailyPoints(daily?.items ?? []), [daily]);
  const waiting = loaded ? '暂时没有数据，下拉刷新重试' : '加载中…';

  return (
    <View className='page'>
      <StoreSwitcher options={options} scope={scope} onChange={changeScope} />
      <View className='section boss-hero'>
        <View className='muted' id='boss-scope'>
          {merchant} · {scopeLabel(scope, stores)} · {today ? `今日（${today.date}）营业额` : '今日营业额'}
        </View>
        <View id='takings-total' className='boss-total'>
          {today ? formatFen(today.takingsFen) : ''}
        </View>
        <View className='row boss-figures'>
          <View>
            <View className='muted'>订单数</View>
            <Text id='order-count' className='boss-figure'>{today ? String(today.orderCount) : ''}</Text>
          </View>
          <View>
            <View className='muted'>客单价</View>
            <Text id='avg-ticket' className='boss-figure'>{today ? formatFen(today.avgTicketFen) : ''}</Text>
          </View>
        </View>
      </View>

      <View className='section' id='by-tender'>
        <View className='section-title'>收款方式</View>
        {!today && <View className='muted'>{waiting}</View>}
        {today && bars.length === 0 && <View className='muted empty'>今天还没有收款。收款后这里按现金、微信、支付宝分开显示。</View>}
        {today && bars.length > 0 && (
          <>
            {/* One bar needs no chart; the rows below say it. */}
            {bars.length >= tender_chart_bars_min && <TenderChart byTender={today.byTender} />}
            {bars.map((b) => (
              <View key={b.label} className='tender-row'>
                <View className='row'>
                  <Text>{b.label}</Text>
                  <Text className='price'>{formatFen(b.fen)}</Text>
                </View>
                <View className='bar-track'>
                  <View className='bar-fill' style={{ width: `${b.widthPct}%` }} />
                </View>
              </View>
            ))}
          </>
        )}
      </View>

      <View className='section' id='by-assistant'>
        <View className='section-title'>店员业绩（今日）</View>
        {!byAssistant && <View className='muted'>{waiting}</View>}
        {byAssistant?.items.length === 0 && <View className='muted empty'>今天还没有店员开单。开单后这里显示每位店员的营业额、单数和客单价。</View>}
        {byAssistant?.items.map((a) => (
          <View key={a.staffId} className='row assistant-row' data-staff-id={a.staffId}>
            <View>
              <View>{a.name}</View>
              <View className='muted'>
                {a.orderCount} 单 · 客单价 {formatFen(a.avgTicketFen)}
              </View>
            </View>
            <Text className='price assistant-takings'>{formatFen(a.takingsFen)}</Text>
          </View>
        ))}
      </View>

      <View className='section' id='daily-section'>
        <View className='section-title'>近 {daily_chart_days} 天营业额</View>
        {!daily && <View className='muted'>{waiting}</View>}
        {daily && points.length === 0 && <View className='muted empty'>还没有营业记录。开单后这里画出每天的营业额。</View>}
        {daily && points.length > 0 && (
          <>
            <DailyChart points={points} />
            <View className='muted' id='daily-summary'>
              合计 {formatFen(points.reduce((sum, p) => sum + p.fen, 0))} · {points.reduce((sum, p) => sum + p.orderCount, 0)} 单
            </View>
          </>
        )}
      </View>

      <View className='section' id='best-sellers'>
        <View className='section-title'>今日畅销</View>
        {!bestSellers && <View className='muted'>{waiting}</View>}
        {bestSellers?.items.length === 0 && <View className='muted empty'>今天还没有卖出商品。卖出后这里按销量列出前 {best_sellers_limit} 名。</View>}
        {bestSellers?.items.map((b, i) => (
          <View key={b.skuId} className='row best-seller-row' data-sku-id={b.skuId}>
            <View className='row'>
              <Text className='rank'>{i + 1}</Text>
              <View>
                <View>{b.name}</View>
                {b.spec && <View className='muted'>{b.spec}</View>}
              </View>
            </View>
            <View className='best-seller-figures'>
              <View>{b.qty} 件</View>
              <View className='muted'>{formatFen(b.netFen)}</View>
            </View>
          </View>
        ))}
      </View>

      <View className='section' id='flagged-orders'>
        <View className='section-title'>需核对的离线订单{flagged && flagged.items.length > 0 ? `（${flagged.items.length}）` : ''}</View>
        {!flagged && <View className='muted'>{waiting}</View>}
        {flagged?.items.length === 0 && <View className='muted empty'>没有需要核对的订单。断网时卖超库存的订单会出现在这里，请盘点后核对。</View>}
        {flagged?.items.map((f) => (
          <View key={f.orderId} className='row flagged-order-row' data-order-id={f.orderId}>
            <View>
              <View>小票 {f.receiptNo}</View>
              <View className='muted'>
                {f.businessDate} · {shortBeijingTime(f.createdAt)} · {stores.find((s) => s.id === f.storeId)?.name ?? ''}
              </View>
            </View>
            <Text className='price'>{formatFen(f.totalFen)}</Text>
          </View>
        ))}
      </View>

      <PendingReturns items={pendingReturns?.items ?? (loaded ? [] : null)} onDecided={() => void load(scope)} />

      <View className='section row' id='open-payments' onClick={() => void Taro.navigateTo({ url: '/pages/boss/payments/index' })}>
        <Text>收款提醒、退款与门店收款码</Text>
        <Text className='muted'>查看 ›</Text>
      </View>

      <View className='section row' id='open-purchasing' onClick={() => void Taro.navigateTo({ url: '/pages/boss/purchasing/index' })}>
        <Text>采购与应付</Text>
        <Text className='muted'>进入 ›</Text>
      </View>
      <View className='section row' id='open-health' onClick={() => void Taro.navigateTo({ url: '/pages/boss/health/index' })}>
        <Text>库存健康度</Text>
        <Text className='muted'>查看 ›</Text>
      </View>

      <View className='section row' id='open-reports' onClick={() => void Taro.navigateTo({ url: '/pages/boss/reports/index' })}>
        <Text>销售报表</Text>
        <Text className='muted'>查看 ›</Text>
      </View>
      <View className='section row' id='open-reconcile' onClick={() => void Taro.navigateTo({ url: '/pages/boss/reconcile/index' })}>
        <Text>对账</Text>
        <Text className='muted'>查看 ›</Text>
      </View>

      <View className='section row' id='open-ledger' onClick={() => void Taro.navigateTo({ url: '/pages/boss/ledger/index' })}>
        <Text>试算平衡表</Text>
        <Text className='muted'>查看 ›</Text>
      </View>
      <StockAlertsEntry />
      <View className='section row' id='open-credit' onClick={() => void Taro.navigateTo({ url: '/pages/boss/credit/index' })}>
        <Text>商贸客户与应收</Text>
        <Text className='muted'>查看 ›</Text>
      </View>
      <View className='section row' id='open-commission' onClick={() => void Taro.navigateTo({ url: '/pages/boss/commission/index' })}>
        <Text>业绩与提成</Text>
        <Text className='muted'>查看 ›</Text>
      </View>
      <View className='section row' id='open-split' onClick={() => void Taro.navigateTo({ url: '/pages/boss/split/index' })}>
        <Text>分账规则与日志</Text>
        <Text className='muted'>查看 ›</Text>
      </View>
    </View>
  );
}

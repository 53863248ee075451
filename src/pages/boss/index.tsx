import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useMemo, useRef, useState } from 'react';
import type { StoreSummary } from '../../../shared/api/identity';
import type { ResponseOf } from '../../../shared/api/routes';
import { figureLabels } from '../../../shared/figures';
import { formatFen } from '../../../shared/money';
import { call, showError, sign_in_page } from '../../services/api';
import { best_sellers_limit, daily_chart_days, dailyPoints, tenderBars } from '../../services/boss-dashboard';
import { scopeLabel, scopeOptions, scopeQuery, type BossScope } from '../../services/boss-scope';
import { loadScope, saveScope } from '../../services/boss-scope-store';
import { mayOpenBoss } from '../../services/roles';
import { getSession } from '../../services/session';
import { AssistantPanel, BestSellersPanel, DailyPanel, FlaggedPanel, TenderPanel } from './components/dashboard-panels';
import { BossLinks } from './components/boss-links';
import { DayCloseEntry } from './components/day-close-entry';
import { PendingReturns } from './components/pending-returns';
import { SetupChecklist } from './components/setup-checklist';
import { RoleRefusal } from './components/role-refusal';
import { StoreSwitcher } from './components/store-switcher';
import './index.less';

interface Dashboard {
  today: ResponseOf<'bossToday'> | null;
  byAssistant: ResponseOf<'bossByAssistant'> | null;
  daily: ResponseOf<'bossDaily'> | null;
  bestSellers: ResponseOf<'bossBestSellers'> | null;
  flagged: ResponseOf<'flaggedOrders'> | null;
  pendingReturns: ResponseOf<'returns'> | null;
}

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
  const [refused, setRefused] = useState(false);
  // A slow answer for the previous store must not overwrite the current one.
  const generation = useRef(0);

  const load = async (chosen?: BossScope): Promise<void> => {
    const staff = getSession('staff');
    if (!staff) {
      void Taro.redirectTo({ url: `${sign_in_page}?redirect=${encodeURIComponent('/pages/boss/index')}` });
      return;
    }
    // Asking would only bring 403s; say so once, plainly.
    if (!mayOpenBoss(staff.staff.role)) {
      setRefused(true);
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

  if (refused) return <RoleRefusal what='老板看板' />;

  return (
    <View className='page'>
      <StoreSwitcher options={options} scope={scope} onChange={changeScope} />
      <SetupChecklist />
      <View className='section boss-hero'>
        <View className='muted' id='boss-scope'>
          {merchant} · {scopeLabel(scope, stores)} · {today ? `今日（${today.date}）${figureLabels.takingsFen}` : `今日${figureLabels.takingsFen}`}
        </View>
        <View id='takings-total' className='boss-total'>
          {today ? formatFen(today.takingsFen) : ''}
        </View>
        <View className='row boss-figures'>
          <View>
            <View className='muted'>{figureLabels.orderCount}</View>
            <Text id='order-count' className='boss-figure'>{today ? String(today.orderCount) : ''}</Text>
          </View>
          <View>
            <View className='muted'>{figureLabels.avgTicketFen}</View>
            <Text id='avg-ticket' className='boss-figure'>{today ? formatFen(today.avgTicketFen) : ''}</Text>
          </View>
        </View>
      </View>

      <TenderPanel today={today} bars={bars} waiting={waiting} />
      <AssistantPanel byAssistant={byAssistant} waiting={waiting} />
      <DailyPanel daily={daily} points={points} waiting={waiting} />
      <BestSellersPanel bestSellers={bestSellers} waiting={waiting} />
      <FlaggedPanel flagged={flagged} stores={stores} waiting={waiting} />

      <DayCloseEntry stores={stores} scope={scope} />

      <PendingReturns items={pendingReturns?.items ?? (loaded ? [] : null)} onDecided={() => void load(scope)} />

      <BossLinks />
    </View>
  );
}

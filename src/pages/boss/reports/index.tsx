import { ScrollView, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useMemo, useRef, useState } from 'react';
import type { StoreSummary } from '../../../../shared/api/identity';
import type { ReportTable, SalesReportKind } from '../../../../shared/api/reports';
import { call, showError, sign_in_page } from '../../../services/api';
import { scopeOptions, scopeQuery, type BossScope } from '../../../services/boss-scope';
import { loadScope, saveScope } from '../../../services/boss-scope-store';
import { downloadFile, exportUrl, merchantExportUrl } from '../../../services/report-download';
import { periods, report_screen_rows_max, report_tabs, rowView, todayInBeijing, type PeriodKey } from '../../../services/report-view';
import { getSession } from '../../../services/session';
import { StoreSwitcher } from '../components/store-switcher';
import { TrendChart } from './trend-chart';
import './index.less';

interface Loaded {
  table: ReportTable;
  trend: ReportTable | null;
}

export default function Reports() {
  const [stores, setStores] = useState<readonly StoreSummary[]>([]);
  const [isOwner, setIsOwner] = useState(false);
  const [scope, setScope] = useState<BossScope>({ kind: 'all' });
  const [periodKey, setPeriodKey] = useState<PeriodKey>('month');
  const [tab, setTab] = useState<SalesReportKind>('summary');
  const [data, setData] = useState<Loaded | null>(null);
  const [failed, setFailed] = useState(false);
  // A slow answer for an earlier choice must not overwrite the current one.
  const generation = useRef(0);

  const today = todayInBeijing();
  const options = useMemo(() => periods(today), [today]);
  const period = options.find((p) => p.key === periodKey) ?? options[2]!;
  const query = { from: period.from, to: period.to, ...scopeQuery(scope) };

  const load = async (next: { scope?: BossScope; periodKey?: PeriodKey; tab?: SalesReportKind } = {}): Promise<void> => {
    const staff = getSession('staff');
    if (!staff) {
      void Taro.redirectTo({ url: `${sign_in_page}?redirect=${encodeURIComponent('/pages/boss/reports/index')}` });
      return;
    }
    setStores(staff.stores);
    setIsOwner(staff.staff.role === 'owner');
    const s = next.scope ?? (stores.length === 0 ? loadScope(staff.stores) : scope);
    const pk = next.periodKey ?? periodKey;
    const t = next.tab ?? tab;
    setScope(s);
    const p = options.find((o) => o.key === pk)!;
    const q = { from: p.from, to: p.to, ...scopeQuery(s) };
    const mine = ++generation.current;
    setData(null);
    setFailed(false);
    try {
      const [table, trend] = await Promise.all([
        call('salesReport', { params: { report: t }, query: { ...q, ...(t === 'sku' || t === 'slow' || t === 'best' ? { limit: report_screen_rows_max } : {}) }, quiet: true }),
        t === 'summary' ? call('salesReport', { params: { report: 'trend' }, query: { ...q, granularity: p.granularity }, quiet: true }) : Promise.resolve(null),
      ]);
      if (mine === generation.current) setData({ table, trend });
    } catch (e) {
      if (mine !== generation.current) return;
      setFailed(true);
      showError(e);
    }
  };

  useDidShow(() => void load());
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  const choose = (next: { scope?: BossScope; periodKey?: PeriodKey; tab?: SalesReportKind }) => {
    if (next.scope) saveScope(next.scope);
    if (next.periodKey) setPeriodKey(next.periodKey);
    if (next.tab) setTab(next.tab);
    void load(next);
  };

  const download = (format: 'csv' | 'xlsx') => {
    const title = report_tabs.find((r) => r.kind === tab)?.label ?? tab;
    void downloadFile(exportUrl(tab, query, format), `${title}_${period.from}_${period.to}.${format}`).catch(showError);
  };

  const table = data?.table;
  // The summary's daily rows are for the export (the trend chart above draws them); the screen shows its total as the one card.
  const summary = table?.report === 'summary';
  const rows = !table ? [] : summary ? (table.total ? [{ ...rowView(table, table.total, -1), title: '合计' }] : []) : table.rows.map((r, i) => rowView(table, r, i));
  const total = table?.total && !summary ? rowView(table, table.total, -1) : null;

  return (
    <View className='page'>
      <StoreSwitcher options={scopeOptions(stores)} scope={scope} onChange={(s) => choose({ scope: s })} />
      <ScrollView scrollX className='report-chips' id='period-chips'>
        {options.map((p) => (
          <View key={p.key} id={`period-${p.key}`} className={`report-chip ${p.key === periodKey ? 'report-chip--active' : ''}`} onClick={() => p.key !== periodKey && choose({ periodKey: p.key })}>
            {p.label}
          </View>
        ))}
      </ScrollView>
      <ScrollView scrollX className='report-tabs' id='report-tabs'>
        {report_tabs.map((t) => (
          <View key={t.kind} id={`tab-${t.kind}`} className={`report-tab ${t.kind === tab ? 'report-tab--active' : ''}`} onClick={() => t.kind !== tab && choose({ tab: t.kind })}>
            {t.label}
          </View>
        ))}
      </ScrollView>

      <View className='section' id='report-body'>
        <View className='muted report-period' id='report-period'>
          {period.label}：{period.from} 至 {period.to}
        </View>
        {!data && <View className='muted'>{failed ? '加载失败，下拉刷新重试' : '加载中…'}</View>}
        {data?.trend && <TrendChart trend={data.trend} />}
        {table && rows.length === 0 && <View className='muted empty'>这段时间没有数据。</View>}
        {rows.map((r) => (
          <View key={r.key} className='report-card report-row' data-key={r.key}>
            <View className='report-card-head'>
              <View>
                <View className='report-card-title'>{r.title}</View>
                {r.subtitle && <View className='muted'>{r.subtitle}</View>}
              </View>
              <Text className={`report-card-headline ${r.headlineZero ? 'report-card-headline--zero' : ''}`}>{r.headline}</Text>
            </View>
            <View className='report-figures'>
              {r.figures.map((f) => (
                <Text key={f.label} className='report-figure'>
                  {f.label} {f.text}
                </Text>
              ))}
            </View>
          </View>
        ))}
        {total && (
          <View className='report-card report-total' id='report-total'>
            <View className='report-card-head'>
              <View className='report-card-title'>合计</View>
              <Text className='report-card-headline'>{total.headline}</Text>
            </View>
            <View className='report-figures'>
              {total.figures.map((f) => (
                <Text key={f.label} className='report-figure'>
                  {f.label} {f.text}
                </Text>
              ))}
            </View>
          </View>
        )}
      </View>

      <View className='section'>
        <View className='section-title'>导出</View>
        <View className='report-exports'>
          <View className='report-export' id='export-csv' onClick={() => download('csv')}>
            CSV
          </View>
          <View className='report-export' id='export-xlsx' onClick={() => download('xlsx')}>
            Excel
          </View>
          {isOwner && (
            <View className='report-export' id='export-all' onClick={() => void downloadFile(merchantExportUrl(), `全部数据_${today}.zip`).catch(showError)}>
              全部数据
            </View>
          )}
        </View>
      </View>
    </View>
  );
}

import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useState } from 'react';
import type { TrialBalanceResponse } from '../../../../shared/api/ledger';
import { formatFen } from '../../../../shared/money';
import { call, sign_in_page } from '../../../services/api';
import { checkTrialBalance } from '../../../services/boss-dashboard';
import { scopeLabel, scopeQuery } from '../../../services/boss-scope';
import { loadScope } from '../../../services/boss-scope-store';
import { getSession } from '../../../services/session';
import './index.less';

const side_names = { debit: '借', credit: '贷' } as const;

/** Every account with its debits, credits and balance over all time, for the store chosen on the dashboard. */
export default function Ledger() {
  const [report, setReport] = useState<TrialBalanceResponse | null>(null);
  const [label, setLabel] = useState('');
  const [failed, setFailed] = useState(false);

  const load = () => {
    const staff = getSession('staff');
    if (!staff) {
      void Taro.redirectTo({ url: `${sign_in_page}?redirect=${encodeURIComponent('/pages/boss/ledger/index')}` });
      return Promise.resolve();
    }
    const scope = loadScope(staff.stores);
    setLabel(scopeLabel(scope, staff.stores));
    setFailed(false);
    return call('trialBalance', { query: scopeQuery(scope) })
      .then(setReport)
      .catch(() => setFailed(true));
  };

  useDidShow(() => void load());
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  if (!report) {
    return (
      <View className='page'>
        <View className='section muted'>{failed ? '加载失败，下拉刷新重试' : '加载中…'}</View>
      </View>
    );
  }

  const check = checkTrialBalance(report.accounts, report.totals);
  const active = report.accounts.filter((a) => a.debitFen !== 0 || a.creditFen !== 0);

  return (
    <View className='page'>
      <View className='section'>
        <View className='section-title'>{label} · 全部期间</View>
        <View className='muted'>借方合计与贷方合计相等，说明每笔分录都已平衡。</View>
      </View>
      <View className='section' id='trial-balance'>
        <View className='row tb-head muted'>
          <Text className='tb-account'>科目</Text>
          <Text className='tb-amount'>借方</Text>
          <Text className='tb-amount'>贷方</Text>
          <Text className='tb-amount'>余额</Text>
        </View>
        {active.length === 0 && <View className='muted empty'>还没有记账。开单、收款和退货都会自动记账，之后各科目会列在这里。</View>}
        {active.map((a) => (
          <View key={a.account} className='row tb-row' data-account={a.account}>
            <View className='tb-account'>
              <View>{a.name}</View>
              <View className='muted'>
                {a.number} · {side_names[a.normalSide]}
              </View>
            </View>
            <Text className='tb-amount'>{formatFen(a.debitFen)}</Text>
            <Text className='tb-amount'>{formatFen(a.creditFen)}</Text>
            <Text className='tb-amount tb-balance'>{formatFen(a.balanceFen)}</Text>
          </View>
        ))}
        <View id='trial-balance-totals' className={`row tb-totals ${check.balanced ? '' : 'tb-totals--off'}`} data-balanced={String(check.balanced)}>
          <Text className='tb-account'>{check.balanced ? '合计 · 平衡' : '合计 · 不平衡'}</Text>
          <Text className='tb-amount' id='trial-balance-debit'>{formatFen(report.totals.debitFen)}</Text>
          <Text className='tb-amount' id='trial-balance-credit'>{formatFen(report.totals.creditFen)}</Text>
          <Text className='tb-amount' />
        </View>
      </View>
    </View>
  );
}

import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useState } from 'react';
import type { ReconcileRunView } from '../../../../shared/api/reconcile';
import { formatFen } from '../../../../shared/money';
import { call, sign_in_page } from '../../../services/api';
import { channel_names, runStatus } from '../../../services/reconcile';
import { getSession } from '../../../services/session';
import './index.less';

/** The latest reconciliation runs, newest first, each with a plain status. */
export default function ReconcileRuns() {
  const [runs, setRuns] = useState<ReconcileRunView[] | null>(null);
  const [failed, setFailed] = useState(false);

  const load = () => {
    if (!getSession('staff')) {
      void Taro.redirectTo({ url: `${sign_in_page}?redirect=${encodeURIComponent('/pages/boss/reconcile/index')}` });
      return Promise.resolve();
    }
    setFailed(false);
    return call('reconcileRuns')
      .then((r) => setRuns(r.items))
      .catch(() => setFailed(true));
  };
  useDidShow(() => void load());
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  if (!runs) return <View className='page'><View className='section muted'>{failed ? '加载失败，下拉刷新重试' : '加载中…'}</View></View>;
  return (
    <View className='page'>
      <View className='section'>
        <View className='section-title'>每日对账</View>
        <View className='muted'>每天 10:30 自动核对前一天的微信支付、支付宝账单；也可在电脑端上传账单。</View>
      </View>
      <View className='section' id='reconcile-runs'>
        {runs.length === 0 && <View className='muted'>还没有对账记录</View>}
        {runs.map((run) => {
          const s = runStatus(run);
          return (
            <View key={run.id} className='rc-run row' onClick={() => void Taro.navigateTo({ url: `/pages/boss/reconcile/run?runId=${run.id}` })}>
              <View>
                <View>{run.billDate} · {channel_names[run.channel]}</View>
                <Text className={`rc-${s.tone}`}>{s.text}</Text>
              </View>
              <Text className='muted'>{run.netFen === null ? '' : `净结算 ${formatFen(run.netFen)}`} ›</Text>
            </View>
          );
        })}
      </View>
    </View>
  );
}

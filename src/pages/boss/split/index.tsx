import { Button, Input, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useState } from 'react';
import type { z } from 'zod';
import type { splitRuleView } from '../../../../shared/api/split';
import { call, sign_in_page } from '../../../services/api';
import { getSession } from '../../../services/session';
import { amountText, eventName, logCsv, shareText, type SplitLogItem } from '../../../services/split-log';

type Rule = z.infer<typeof splitRuleView>;

/** The owner's view of profit sharing: rule versions per store, and the split log of one payment with a CSV export. */
export default function Split() {
  const [rules, setRules] = useState<Rule[] | null>(null);
  const [paymentId, setPaymentId] = useState('');
  const [log, setLog] = useState<SplitLogItem[] | null>(null);
  const [failed, setFailed] = useState(false);

  const load = () => {
    const staff = getSession('staff');
    if (!staff) {
      void Taro.redirectTo({ url: `${sign_in_page}?redirect=${encodeURIComponent('/pages/boss/split/index')}` });
      return Promise.resolve();
    }
    setFailed(false);
    return call('splitRules')
      .then((r) => setRules(r.items))
      .catch(() => setFailed(true));
  };
  useDidShow(() => void load());
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  const showLog = () => {
    const id = paymentId.trim();
    if (!id) return;
    void call('splitLog', { query: { paymentId: id } }).then((r) => setLog(r.items));
  };

  const exportCsv = () => {
    if (!log) return;
    const csv = logCsv(log);
    if (process.env.TARO_ENV === 'h5') {
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `分账日志-${paymentId.trim()}.csv`;
      a.click();
      URL.revokeObjectURL(url);
    } else {
      void Taro.setClipboardData({ data: csv });
    }
  };

  return (
    <View className='page'>
      <View className='section' id='split-rules'>
        <View className='section-title'>分账规则（每次修改都是新版本）</View>
        {failed && <View className='muted'>加载失败，下拉刷新重试（只有店主可以查看）</View>}
        {rules?.length === 0 && <View className='muted empty'>还没有分账规则。</View>}
        {rules?.map((r) => (
          <View key={r.id} className='split-rule' data-rule={r.id}>
            <View className='row'>
              <Text>{r.storeId ? `门店 ${r.storeId.slice(-6)}` : '全部门店'} · 第 {r.version} 版</Text>
              <Text className='muted'>{r.effectiveFrom} 起</Text>
            </View>
            {r.receivers.length === 0 && <View className='muted'>不分账</View>}
            {r.receivers.map((x) => (
              <View key={x.receiverId} className='row muted'>
                <Text>
                  {x.name}（{x.channel === 'wechat' ? '微信' : '支付宝'} {x.account}）
                </Text>
                <Text>{shareText(x.bp, x.fixedFen)}</Text>
              </View>
            ))}
          </View>
        ))}
      </View>

      <View className='section' id='split-log'>
        <View className='section-title'>分账日志</View>
        <Input className='split-input' placeholder='支付单号 pay_…' value={paymentId} onInput={(e) => setPaymentId(e.detail.value)} />
        <View className='row'>
          <Button size='mini' id='split-log-show' onClick={showLog}>
            查询
          </Button>
          <Button size='mini' id='split-log-export' disabled={!log || log.length === 0} onClick={exportCsv}>
            导出 CSV
          </Button>
        </View>
        {log?.length === 0 && <View className='muted empty'>这笔支付没有分账记录。</View>}
        {log?.map((i, n) => (
          <View key={n} className='row split-log-row'>
            <View>
              <View>
                {eventName(i.event)} {i.receiverName ?? ''}
              </View>
              <View className='muted'>
                {i.at.replace('T', ' ').slice(0, 19)} {i.status ?? ''}
              </View>
            </View>
            <Text>{amountText(i.amountFen)}</Text>
          </View>
        ))}
      </View>
    </View>
  );
}

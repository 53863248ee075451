import { Button, Input, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import { useState } from 'react';
import type { z } from 'zod';
import type { splitRuleView } from '../../../../shared/api/split';
import { call, sign_in_page } from '../../../services/api';
import { getSession } from '../../../services/session';
import { busyProps } from '../../../services/stock-ops';
import { amountText, eventName, logCsv, logFileName, resultName, shareText, subjectOf, subjectQuery, subjectTitle, timeText, type SplitLogItem, type SplitLogSubject } from '../../../services/split-log';
import './split.less';

type Rule = z.infer<typeof splitRuleView>;

/**
 * The owner's view of profit sharing: rule versions per store (a new version
 * from here), and the split log of one payment or one receiver with a CSV export.
 * Opened from a payment's trail with `?paymentId=`.
 */
export default function Split() {
  const { params } = useRouter();
  const [rules, setRules] = useState<Rule[] | null>(null);
  const [paymentId, setPaymentId] = useState(params.paymentId ?? '');
  const [subject, setSubject] = useState<SplitLogSubject | null>(() => subjectOf(params));
  const [log, setLog] = useState<SplitLogItem[] | null>(null);
  const [failed, setFailed] = useState(false);
  const stores = getSession('staff')?.stores ?? [];

  const showLog = (s: SplitLogSubject) => {
    setSubject(s);
    setLog(null);
    return call('splitLog', { query: subjectQuery(s) })
      .then((r) => setLog(r.items))
      .catch(() => setLog([]));
  };

  const load = () => {
    if (!getSession('staff')) {
      void Taro.redirectTo({ url: `${sign_in_page}?redirect=${encodeURIComponent('/pages/boss/split/index')}` });
      return Promise.resolve();
    }
    setFailed(false);
    if (subject) void showLog(subject);
    return call('splitRules')
      .then((r) => setRules(r.items))
      .catch(() => setFailed(true));
  };
  useDidShow(() => void load());
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  const exportCsv = () => {
    if (!log || !subject) return;
    const csv = logCsv(log);
    if (process.env.TARO_ENV === 'h5') {
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = logFileName(subject);
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } else {
      void Taro.setClipboardData({ data: csv });
    }
  };

  const storeName = (id: string | null) => (id ? (stores.find((s) => s.id === id)?.name ?? `门店 ${id.slice(-6)}`) : '全部门店');
  const newVersion = (from?: Rule) => void Taro.navigateTo({ url: `/pages/boss/split/rule${from ? `?from=${from.id}${from.storeId ? `&storeId=${from.storeId}` : ''}` : ''}` });

  return (
    <View className='page'>
      <View className='section' id='split-rules'>
        <View className='row'>
          <Text className='section-title'>分账规则</Text>
          <View className='split-actions'>
            <Button size='mini' id='split-new-rule' onClick={() => newVersion()}>
              新建规则
            </Button>
          </View>
        </View>
        <View className='muted'>每次修改都保存为新版本；点接收方查看其分账日志。</View>
        {failed && <View className='muted'>加载失败，下拉刷新重试（只有店主可以查看）</View>}
        {rules?.length === 0 && <View className='muted empty'>还没有分账规则。</View>}
        {rules?.map((r) => (
          <View key={r.id} className='split-receiver split-rule' data-rule={r.id}>
            <View className='row'>
              <Text>{storeName(r.storeId)} · 第 {r.version} 版</Text>
              <Text className='muted'>{r.effectiveFrom} 起</Text>
            </View>
            {r.note && <View className='muted'>{r.note}</View>}
            {r.receivers.length === 0 && <View className='muted'>不分账</View>}
            {r.receivers.map((x) => (
              <View key={x.receiverId} className='row split-link' id={`receiver-log-${x.receiverId}`} data-account={x.account} onClick={() => void showLog({ kind: 'receiver', receiverId: x.receiverId, name: x.name })}>
                <Text>
                  {x.name}（{x.channel === 'wechat' ? '微信' : '支付宝'} {x.account}）
                </Text>
                <Text className='split-share'>{shareText(x.bp, x.fixedFen)} ›</Text>
              </View>
            ))}
            <Text className='split-link muted' onClick={() => newVersion(r)}>基于此版本修改</Text>
          </View>
        ))}
      </View>

      <View className='section' id='split-log'>
        <View className='section-title'>分账日志</View>
        <Input className='split-input' id='split-log-payment' placeholder='支付记录编号（在收款列表的支付详情里复制）' value={paymentId} onInput={(e) => setPaymentId(e.detail.value)} />
        <View className='split-actions'>
          <Button size='mini' id='split-log-show' onClick={() => paymentId.trim() && void showLog({ kind: 'payment', paymentId: paymentId.trim() })}>
            查询
          </Button>
          <Button size='mini' id='split-log-export' {...busyProps(!log || log.length === 0)} onClick={exportCsv}>
            导出 CSV
          </Button>
        </View>
        {subject && <View className='muted' id='split-log-subject'>{subjectTitle(subject)}</View>}
        {subject && log === null && <View className='muted'>加载中…</View>}
        {log?.length === 0 && <View className='muted empty'>没有分账记录。</View>}
        {log?.map((i, n) => (
          <View key={n} className='row split-log-row' data-event={i.event}>
            <View>
              <View>
                {eventName(i.event)} {i.receiverName ?? ''} {resultName(i.status)}
              </View>
              <View className='muted'>
                {timeText(i.at)}
                {subject?.kind === 'receiver' && i.paymentId ? ` · ${i.paymentId}` : ''}
              </View>
            </View>
            <Text>{amountText(i.amountFen)}</Text>
          </View>
        ))}
      </View>
    </View>
  );
}

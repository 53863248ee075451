import { Button, Input, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { reconcileClasses, reconcileClassLabels, type ReconcileReport } from '../../../../shared/api/reconcile';
import { formatFen } from '../../../../shared/money';
import { call } from '../../../services/api';
import { amountLine, channel_names, classLabel, runStatus } from '../../../services/reconcile';
import { reportFileName, reportUrl, resolutionLine } from '../../../services/reconcile-files';
import { downloadFile } from '../../../services/report-download';
import './index.less';

/** One run: totals by class, fees and net settlement, and the differences left to the owner, each resolvable with a note. */
export default function ReconcileRun() {
  const runId = useRouter().params.runId ?? '';
  const [report, setReport] = useState<ReconcileReport | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [note, setNote] = useState('');

  const load = () => call('reconcileRun', { params: { runId } }).then(setReport).catch(() => undefined);
  useDidShow(() => void load());
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  const resolve = async (itemId: number) => {
    if (note.trim() === '') {
      void Taro.showToast({ title: '请填写处理说明', icon: 'none' });
      return;
    }
    await call('resolveReconcileItem', { params: { runId, itemId: String(itemId) }, body: { note: note.trim() } });
    setOpen(null);
    setNote('');
    await load();
  };

  const download = (format: 'csv' | 'xlsx') => {
    if (!report) return;
    void downloadFile(reportUrl(runId, format), reportFileName(report.run.billDate, report.run.channel, format)).catch((e: Error) => void Taro.showToast({ title: e.message, icon: 'none' }));
  };

  if (!report) return <View className='page'><View className='section muted'>加载中…</View></View>;
  const { run, bill } = report;
  const s = runStatus(run);
  return (
    <View className='page' id='reconcile-run'>
      <View className='section'>
        <View className='section-title'>{run.billDate} · {channel_names[run.channel]}</View>
        <Text className={`rc-${s.tone}`} id='run-status'>{s.text}</Text>
      </View>
      <View className='section'>
        <View className='row'><Text>收款</Text><Text>{formatFen(bill.paymentFen)}</Text></View>
        <View className='row'><Text>退款</Text><Text>{formatFen(bill.refundFen)}</Text></View>
        <View className='row'><Text>手续费</Text><Text>{formatFen(bill.feeFen)}</Text></View>
        <View className='row'><Text>净结算</Text><Text className='price' id='run-net'>{formatFen(bill.netFen)}</Text></View>
        <View className='rc-actions'>
          <Button size='mini' id='run-export-csv' onClick={() => download('csv')}>导出 CSV</Button>
          <Button size='mini' id='run-export-xlsx' onClick={() => download('xlsx')}>导出 Excel</Button>
        </View>
      </View>
      <View className='section'>
        {reconcileClasses.map((c) => (
          <View key={c} className='row'><Text>{reconcileClassLabels[c]}</Text><Text>{run.counts[c] ?? 0}</Text></View>
        ))}
      </View>
      <View className='section' id='exceptions'>
        <View className='section-title'>待处理差异</View>
        {report.exceptions.length === 0 && <View className='muted'>没有需要处理的差异</View>}
        {report.exceptions.map((e) => (
          <View key={e.id} className='rc-run rc-exception' data-item={e.id} data-class={e.class} data-resolved={e.resolution ? 'yes' : 'no'}>
            <View className='row'>
              <Text>{classLabel(e)} · {e.kind === 'payment' ? '支付' : '退款'}</Text>
              {e.resolution ? <Text className='rc-ok'>已处理</Text> : <Text className='rc-warn rc-resolve-open' onClick={() => setOpen(open === e.id ? null : e.id)}>处理</Text>}
            </View>
            <View className='muted'>{e.outNo}</View>
            <View className='muted'>{amountLine(e)}</View>
            {e.paymentId && (
              <Text className='rc-link rc-trail' onClick={() => void Taro.navigateTo({ url: `/pages/boss/payments/trail?paymentId=${e.paymentId}` })}>查看支付轨迹 ›</Text>
            )}
            {e.resolution && <View className='muted rc-resolution'>{resolutionLine(e.resolution)}</View>}
            {open === e.id && (
              <View>
                <Input className='rc-note' id='resolve-note' value={note} placeholder='处理说明，如：已与平台核实' maxlength={200} onInput={(ev) => setNote(ev.detail.value)} />
                <Text className='rc-button' id='resolve-submit' onClick={() => void resolve(e.id)}>标记已处理</Text>
              </View>
            )}
          </View>
        ))}
      </View>
    </View>
  );
}

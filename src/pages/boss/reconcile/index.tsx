import { Button, Picker, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useState } from 'react';
import type { ReconcileRunView } from '../../../../shared/api/reconcile';
import type { ResponseOf } from '../../../../shared/api/routes';
import { formatFen } from '../../../../shared/money';
import { call, showError, sign_in_page } from '../../../services/api';
import { channel_names, downloadTone, runStatus, yesterdayInBeijing } from '../../../services/reconcile';
import { getSession } from '../../../services/session';
import { billUploadLimit, canPickBill, pickBill, uploadBill } from '../../../services/reconcile-files';
import { todayInBeijing } from '../../../services/report-view';
import { busyProps } from '../../../services/stock-ops';
import { JobOutcomes } from '../components/job-outcomes';
import { DateRow } from '../components/field-row';
import '../components/chips.less';
import './index.less';

/** The latest reconciliation runs, newest first, each with a plain status. */
export default function ReconcileRuns() {
  const [runs, setRuns] = useState<ReconcileRunView[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [upload, setUpload] = useState({ channel: 'wechat' as 'wechat' | 'alipay', date: todayInBeijing(new Date(Date.now() - 86_400_000)), busy: false, error: '' });

  /** A bill file chosen in the browser or from a WeChat chat goes up as it is; the run it starts opens at once. */
  const uploadFile = async () => {
    setUpload({ ...upload, error: '' });
    let file;
    try {
      file = await pickBill(upload.channel);
    } catch (e) {
      setUpload({ ...upload, error: e instanceof Error ? e.message : String(e) });
      return;
    }
    if (!file) return;
    setUpload({ ...upload, busy: true, error: '' });
    try {
      const r = await uploadBill(upload.channel, upload.date.trim(), file.body);
      setUpload({ ...upload, busy: false, error: '' });
      void load();
      void Taro.navigateTo({ url: `/pages/boss/reconcile/run?runId=${r.run.id}` });
    } catch (e) {
      setUpload({ ...upload, busy: false, error: e instanceof Error ? e.message : String(e) });
    }
  };
  const [downloads, setDownloads] = useState<ResponseOf<'billDownloads'>['items']>([]);
  const [jobs, setJobs] = useState<ResponseOf<'merchantJobs'>['items'] | null>(null);
  const [channel, setChannel] = useState<'wechat' | 'alipay'>('wechat');
  const [day, setDay] = useState(() => yesterdayInBeijing(new Date()));
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<string | null>(null);

  const load = () => {
    if (!getSession('staff')) {
      void Taro.redirectTo({ url: `${sign_in_page}?redirect=${encodeURIComponent('/pages/boss/reconcile/index')}` });
      return Promise.resolve();
    }
    setFailed(false);
    return Promise.all([call('reconcileRuns'), call('billDownloads')])
      .then(([r, d]) => {
        setRuns(r.items);
        setDownloads(d.items.slice(0, 5));
      })
      .catch(() => setFailed(true))
      .then(() =>
        // The jobs' outcomes are a side panel: a page that loaded stays useful if they do not.
        call('merchantJobs')
          .then((j) => setJobs(j.items))
          .catch(() => setJobs(null)),
      );
  };

  /** Fetches the chosen day's bill from the platform and reconciles it; the outcome is shown as the platform named it. */
  const download = () => {
    if (busy) return;
    setBusy(true);
    setResult(null);
    void call('downloadBill', { body: { channel, date: day } })
      .then((r) => {
        setResult(r.message);
        if (r.run) void Taro.navigateTo({ url: `/pages/boss/reconcile/run?runId=${r.run.id}` });
        return load();
      })
      .catch(showError)
      .finally(() => setBusy(false));
  };
  useDidShow(() => void load());
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  if (!runs) return <View className='page'><View className='section muted'>{failed ? '加载失败，下拉刷新重试' : '加载中…'}</View></View>;
  return (
    <View className='page'>
      <View className='section'>
        <View className='section-title'>每日对账</View>
        <View className='muted'>
          每天 10:30 自动下载并核对前一天的微信支付、支付宝账单；{canPickBill() ? '也可在下方上传账单文件。' : '上传账单文件请在微信里或电脑浏览器中打开管理页。'}
        </View>
      </View>
      {jobs && <JobOutcomes items={jobs} />}
      <View className='section' id='bill-download'>
        <View className='section-title'>下载账单并对账</View>
        <View className='row'>
          {(['wechat', 'alipay'] as const).map((c) => (
            <Text key={c} id={`download-channel-${c}`} className={channel === c ? 'rc-chip rc-chip--on' : 'rc-chip'} onClick={() => setChannel(c)}>{channel_names[c]}</Text>
          ))}
          <Picker mode='date' value={day} end={yesterdayInBeijing(new Date())} onChange={(e) => setDay(String(e.detail.value))}>
            <Text className='rc-chip' id='bill-day'>{day}</Text>
          </Picker>
        </View>
        <Text id='bill-download-go' className={busy ? 'rc-button rc-busy' : 'rc-button'} onClick={download}>{busy ? '下载中…' : '下载并对账'}</Text>
        {result && <View className='muted' id='bill-download-result'>{result}</View>}
        {downloads.map((d) => {
          const t = downloadTone(d.outcome);
          return (
            <View key={d.id} className='rc-run'>
              <View>{d.billDate} · {channel_names[d.channel]} · {d.byCron ? '自动' : '手动'}</View>
              <Text className={`rc-${t.tone}`}>{t.text}</Text>
            </View>
          );
        })}
      </View>
      {canPickBill() && (
        <View className='section' id='bill-upload'>
          <View className='section-title'>上传账单</View>
          <View>
            {(['wechat', 'alipay'] as const).map((c) => (
              <Text key={c} id={`bill-channel-${c}`} className={`rc-chip ${upload.channel === c ? 'rc-chip--on' : ''}`} onClick={() => setUpload({ ...upload, channel: c })}>
                {channel_names[c]}
              </Text>
            ))}
          </View>
          <DateRow label='账单日期' id='bill-date' value={upload.date} end={todayInBeijing(new Date())} onChange={(date) => setUpload({ ...upload, date })} />
          <View className='muted'>
            {upload.channel === 'wechat' ? '微信支付商户平台下载的交易账单（CSV）' : '支付宝下载的业务明细账单（ZIP）'}
            {process.env.TARO_ENV === 'weapp' ? '：先把文件发到任一聊天，再从聊天里选择' : ''}
            {`。文件不超过 ${(billUploadLimit() / 1024 / 1024).toFixed(1)} MB，更大的账单请用「下载并对账」`}
          </View>
          {upload.error && <View className='rc-bad' id='bill-upload-error'>{upload.error}</View>}
          <View className='rc-actions'>
            <Button size='mini' id='bill-upload-pick' {...busyProps(upload.busy, true)} onClick={() => void uploadFile()}>
              选择文件并对账
            </Button>
          </View>
        </View>
      )}
      <View className='section' id='reconcile-runs'>
        {runs.length === 0 && <View className='muted'>还没有对账记录</View>}
        {runs.map((run) => {
          const s = runStatus(run);
          return (
            <View key={run.id} className='rc-run row' data-run={run.id} onClick={() => void Taro.navigateTo({ url: `/pages/boss/reconcile/run?runId=${run.id}` })}>
              <View>
                <View>{run.billDate} · {channel_names[run.channel]}</View>
                <Text className={`rc-${s.tone} rc-run-status`}>{s.text}</Text>
              </View>
              <Text className='muted'>{run.netFen === null ? '' : `净结算 ${formatFen(run.netFen)}`} ›</Text>
            </View>
          );
        })}
      </View>
    </View>
  );
}

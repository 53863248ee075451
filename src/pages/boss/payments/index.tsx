import { Button, Input, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useState } from 'react';
import type { ResponseOf } from '../../../../shared/api/routes';
import { formatFen } from '../../../../shared/money';
import { call, showError } from '../../../services/api';
import { shortBeijingTime } from '../../../services/boss-dashboard';
import { alertKindText, cashNoteProblem, refund_cash_note_length_max, refundStatusText, trailTargetOf, trailUrl, type RefundView } from '../../../services/pay-admin';
import { getSession } from '../../../services/session';
import './payments.less';

type Alerts = ResponseOf<'alerts'>['items'];

/** Owner alerts and refunds a manager must finish, with the way into each payment's trail. */
export default function BossPayments() {
  const [alerts, setAlerts] = useState<Alerts | null>(null);
  const [refunds, setRefunds] = useState<RefundView[] | null>(null);
  const [notes, setNotes] = useState<Readonly<Record<string, string>>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const isOwner = getSession('staff')?.staff.role === 'owner';

  const load = async () => {
    const [a, r] = await Promise.allSettled([call('alerts', { quiet: true }), call('refunds', { query: { status: 'attention' }, quiet: true })]);
    setAlerts(a.status === 'fulfilled' ? a.value.items : []);
    setRefunds(r.status === 'fulfilled' ? r.value.items : []);
    const failed = [a, r].find((x) => x.status === 'rejected');
    if (failed) showError(failed.reason);
  };

  useDidShow(() => void load());
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  const act = async (id: string, run: () => Promise<unknown>, done: string) => {
    if (busy) return;
    setBusy(id);
    try {
      await run();
      void Taro.showToast({ title: done, icon: 'none' });
      await load();
    } catch {
      // call() has shown the reason.
    } finally {
      setBusy(null);
    }
  };

  const retry = (r: RefundView) => act(r.id, () => call('retryRefund', { params: { refundId: r.id } }), '已重新发起退款');
  const toCash = (r: RefundView) => {
    const note = notes[r.id] ?? '';
    const problem = cashNoteProblem(note);
    if (problem) {
      void Taro.showToast({ title: problem, icon: 'none' });
      return;
    }
    void act(r.id, () => call('refundToCash', { params: { refundId: r.id }, body: { note: note.trim() } }), '已记为现金退款');
  };
  const resolve = (id: string) => act(id, () => call('resolveAlert', { params: { alertId: id } }), '已处理');

  return (
    <View className='page'>
      {isOwner && (
        <View className='section row' id='open-store-qr' onClick={() => void Taro.navigateTo({ url: '/pages/boss/payments/store-qr' })}>
          <Text>门店收款码（打印张贴）</Text>
          <Text className='muted'>查看 ›</Text>
        </View>
      )}

      <View className='section' id='pay-alerts'>
        <View className='section-title'>收款提醒{alerts && alerts.length > 0 ? `（${alerts.length}）` : ''}</View>
        {alerts === null && <View className='muted'>加载中…</View>}
        {alerts?.length === 0 && <View className='muted'>没有待处理的提醒。金额不符、重复付款、退款失败等情况会出现在这里。</View>}
        {alerts?.map((a) => {
          const target = trailTargetOf(a.subjectId, refunds ?? []);
          return (
            <View key={a.id} className='pay-admin-row alert-row' data-alert-id={a.id}>
              <View className='row'>
                <Text className='warn'>{alertKindText(a.kind)}</Text>
                <Text className='muted'>{shortBeijingTime(a.createdAt)}</Text>
              </View>
              <View>{a.message}</View>
              <View className='actions-row'>
                {target && (
                  <Text className='link alert-trail' onClick={() => void Taro.navigateTo({ url: trailUrl(target) })}>
                    查看支付记录 ›
                  </Text>
                )}
                {isOwner && (
                  <Button size='mini' className='alert-resolve' disabled={(busy !== null) || undefined} onClick={() => void resolve(a.id)}>
                    标记已处理
                  </Button>
                )}
              </View>
            </View>
          );
        })}
      </View>

      <View className='section' id='refunds-attention'>
        <View className='section-title'>需要处理的退款{refunds && refunds.length > 0 ? `（${refunds.length}）` : ''}</View>
        {refunds === null && <View className='muted'>加载中…</View>}
        {refunds?.length === 0 && <View className='muted'>没有失败的退款。退回微信或支付宝不成功时，可以在这里重试或改为现金退款。</View>}
        {refunds?.map((r) => (
          <View key={r.id} className='pay-admin-row refund-row' data-refund-id={r.id}>
            <View className='row'>
              <Text>
                {r.channel === 'wechat' ? '微信' : '支付宝'} · {refundStatusText(r.status)}
              </Text>
              <Text className='price'>{formatFen(r.amountFen)}</Text>
            </View>
            <View className='muted'>
              {shortBeijingTime(r.createdAt)} · 已尝试 {r.attempts} 次{r.failure ? ` · ${r.failure.message || r.failure.code}` : ''}
            </View>
            <Text className='link' onClick={() => void Taro.navigateTo({ url: trailUrl({ paymentId: r.paymentId }) })}>
              查看支付记录 ›
            </Text>
            <Input
              className='cash-note-input refund-cash-note'
              placeholder='改现金退款的说明（必填）'
              maxlength={refund_cash_note_length_max}
              value={notes[r.id] ?? ''}
              onInput={(e) => setNotes((n) => ({ ...n, [r.id]: e.detail.value }))}
            />
            <View className='actions-row'>
              <Button size='mini' type='primary' className='refund-retry' disabled={(busy !== null) || undefined} onClick={() => void retry(r)}>
                重试退款
              </Button>
              <Button size='mini' className='refund-to-cash' disabled={(busy !== null) || undefined} onClick={() => toCash(r)}>
                改现金退款
              </Button>
            </View>
          </View>
        ))}
      </View>
    </View>
  );
}

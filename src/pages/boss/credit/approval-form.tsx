import { Button, Input, Picker, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { credit_approval_minutes } from '../../../../shared/api/credit';
import { formatFen, yuanToFen } from '../../../../shared/money';
import { QrCode } from '../../../components/qr-code';
import { call } from '../../../services/api';
import { approvalIdGroups } from '../../../services/counter-account';
import { ApiError } from '../../../services/errors';
import { getSession } from '../../../services/session';
import { busyProps } from '../../../services/stock-ops';

type Approval = Awaited<ReturnType<typeof call<'creditApproval'>>>;

/**
 * A manager allows one sale on account above this customer's limit: the
 * approval number goes to the assistant at the counter (copied into a chat
 * message, read out, or scanned from the QR), who enters it with the sale.
 */
export function ApprovalForm({ customerId, customerName }: { customerId: string; customerName: string }) {
  const stores = getSession('staff')?.stores ?? [];
  const [storeIndex, setStoreIndex] = useState(0);
  const [amount, setAmount] = useState('');
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState('');
  const [approval, setApproval] = useState<Approval | null>(null);
  const [busy, setBusy] = useState(false);
  const store = stores[storeIndex];

  const approve = async () => {
    if (busy || !store) return;
    let maxFen: number;
    try {
      maxFen = yuanToFen(amount.trim());
    } catch {
      setProblem('请填写批准的最高赊账金额（元）');
      return;
    }
    if (note.trim() === '') {
      setProblem('请写明审批原因，例如“老客户月底结清”');
      return;
    }
    setBusy(true);
    setProblem('');
    try {
      setApproval(await call('creditApproval', { params: { customerId }, body: { storeId: store.id, maxFen, note: note.trim() }, quiet: true }));
    } catch (e) {
      setProblem(e instanceof ApiError ? e.message : '审批失败，请重试');
    } finally {
      setBusy(false);
    }
  };

  if (approval) {
    const until = new Date(new Date(approval.expiresAt).getTime() + 8 * 3_600_000).toISOString().slice(11, 16);
    return (
      <View className='section' id='approval-result'>
        <View className='section-title'>已批准：{customerName} 本单最多赊 {formatFen(approval.maxFen)}</View>
        <View className='muted'>把审批号发给收银的店员，或让店员扫码。{until} 前有效，只能用于 {store?.name} 的一单。</View>
        <View className='approval-code' id='approval-code' data-approval-id={approval.id}>
          {approvalIdGroups(approval.id)}
        </View>
        <QrCode text={approval.id} sizePx={240} id='approval-qr' />
        <Button className='credit-button' id='approval-copy' onClick={() => void Taro.setClipboardData({ data: approval.id })}>
          复制审批号
        </Button>
        <Button id='approval-again' onClick={() => setApproval(null)}>
          再批一单
        </Button>
      </View>
    );
  }

  return (
    <View className='section' id='approval-form'>
      <View className='section-title'>超额赊账审批</View>
      <View className='muted'>店员赊账超出信用额度时，由店长在这里批准一单，{credit_approval_minutes} 分钟内有效。</View>
      {stores.length > 1 && (
        <Picker mode='selector' range={stores.map((s) => s.name)} value={storeIndex} onChange={(e) => setStoreIndex(Number(e.detail.value))}>
          <View className='credit-input'>门店：{store?.name} ▾</View>
        </Picker>
      )}
      <Input className='credit-input' id='approval-amount' type='digit' placeholder='本单最多赊账金额（元）' value={amount} onInput={(e) => setAmount(e.detail.value)} />
      <Input className='credit-input' id='approval-note' placeholder='审批原因（必填）' value={note} onInput={(e) => setNote(e.detail.value)} />
      {problem !== '' && (
        <Text className='overdue' id='approval-problem'>
          {problem}
        </Text>
      )}
      <Button className='credit-button' id='approval-submit' {...busyProps(busy, true)} onClick={() => void approve()}>
        批准
      </Button>
    </View>
  );
}

import { Button, Input, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { call } from '../../../services/api';
import { getSession } from '../../../services/session';
import { blankReceiver, draftsOf, newRuleId, ruleRequestOf, type ReceiverDraft } from '../../../services/split-rule-form';
import { busyProps } from '../../../services/stock-ops';
import { todayInBeijing } from '../../../services/report-view';
import { DateRow } from '../components/field-row';
import { ReceiverEditor } from './receiver-editor';
import '../components/chips.less';
import './split.less';

/** A new version of a store's (or every store's) split rule; opened from a version, it starts from that version's receivers. */
export default function SplitRuleForm() {
  const { params } = useRouter();
  const stores = getSession('staff')?.stores ?? [];
  const [ruleId] = useState(newRuleId);
  const [storeId, setStoreId] = useState<string | null>(params.storeId || null);
  const [effectiveFrom, setEffectiveFrom] = useState(() => todayInBeijing());
  const [note, setNote] = useState('');
  const [receivers, setReceivers] = useState<ReceiverDraft[]>([blankReceiver()]);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!params.from) return;
    void call('splitRules').then((r) => {
      const from = r.items.find((x) => x.id === params.from);
      if (from) setReceivers(draftsOf(from));
    });
  }, [params.from]);

  const save = async () => {
    const built = ruleRequestOf({ clientRuleId: ruleId, storeId, effectiveFrom, note, receivers });
    if (!built.ok) return setError(built.message);
    setError('');
    setBusy(true);
    try {
      await call('saveSplitRule', { body: built.request, quiet: true });
      void Taro.showToast({ title: '已保存为新版本', icon: 'success' });
      void Taro.navigateBack();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className='page' id='split-rule-form'>
      <View className='section'>
        <View className='section-title'>适用门店</View>
        <Text id='rule-store-all' className={`rc-chip ${storeId === null ? 'rc-chip--on' : ''}`} onClick={() => setStoreId(null)}>全部门店</Text>
        {stores.map((s) => (
          <Text key={s.id} id={`rule-store-${s.code}`} className={`rc-chip ${storeId === s.id ? 'rc-chip--on' : ''}`} onClick={() => setStoreId(s.id)}>
            {s.name}
          </Text>
        ))}
        <DateRow label='生效日期' id='rule-effective-from' value={effectiveFrom} onChange={setEffectiveFrom} />
        <View className='muted'>此日起的收款按本版本分账。</View>
        <Input className='split-input' id='rule-note' value={note} placeholder='备注（选填）' maxlength={200} onInput={(e) => setNote(e.detail.value)} />
        <View className='muted'>微信、支付宝每笔分出合计不超过 30%；固定金额按每笔收款计。</View>
      </View>
      <View className='section' id='rule-receivers'>
        <View className='section-title'>接收方</View>
        {receivers.length === 0 && <View className='muted'>没有接收方：保存后这些门店的收款不再分账。</View>}
        {receivers.map((r, i) => (
          <ReceiverEditor key={i} index={i} draft={r} onChange={(d) => setReceivers(receivers.map((x, j) => (j === i ? d : x)))} onRemove={() => setReceivers(receivers.filter((_, j) => j !== i))} />
        ))}
        <View className='split-actions'>
          <Button size='mini' id='rule-add-receiver' onClick={() => setReceivers([...receivers, blankReceiver()])}>
            添加接收方
          </Button>
        </View>
      </View>
      <View className='section'>
        {error && <View className='split-error' id='rule-error'>{error}</View>}
        <Button type='primary' id='rule-save' {...busyProps(busy, true)} onClick={() => void save()}>
          保存为新版本
        </Button>
      </View>
    </View>
  );
}

import { Input, Text, View } from '@tarojs/components';
import { account_type_names, account_types_of, receiver_kind_names, withChannel, type ReceiverDraft } from '../../../services/split-rule-form';

interface Props {
  index: number;
  draft: ReceiverDraft;
  onChange: (d: ReceiverDraft) => void;
  onRemove: () => void;
}

function Chips<T extends string>({ id, options, value, names, onPick }: { id: string; options: readonly T[]; value: T; names: Record<T, string>; onPick: (v: T) => void }) {
  return (
    <View id={id}>
      {options.map((o) => (
        <Text key={o} id={`${id}-${o}`} className={`rc-chip ${o === value ? 'rc-chip--on' : ''}`} onClick={() => onPick(o)}>
          {names[o]}
        </Text>
      ))}
    </View>
  );
}

/** One receiver of a rule being written: who, where the money goes, and the share. */
/** What to type for each kind of account, in words an owner knows. */
const account_placeholders: Record<ReceiverDraft['accountType'], string> = {
  MERCHANT_ID: '收款方的微信支付商户号，如 1900000109',
  PERSONAL_OPENID: '收款人在本店小程序里的微信用户编号',
  loginName: '收款方的支付宝账号（手机号或邮箱）',
  userId: '收款方的支付宝用户号（2088 开头的 16 位数字）',
};

export function ReceiverEditor({ index, draft: d, onChange, onRemove }: Props) {
  const id = `receiver-${index}`;
  const set = (patch: Partial<ReceiverDraft>) => onChange({ ...d, ...patch });
  return (
    <View className='split-receiver' id={id}>
      <View className='row'>
        <Text>接收方 {index + 1}</Text>
        <Text className='split-link' id={`${id}-remove`} onClick={onRemove}>删除</Text>
      </View>
      <Input className='split-input' id={`${id}-name`} placeholder='名称，如 万达广场管理有限公司' value={d.name} onInput={(e) => set({ name: e.detail.value })} />
      <Chips id={`${id}-kind`} options={Object.keys(receiver_kind_names) as ReceiverDraft['kind'][]} value={d.kind} names={receiver_kind_names} onPick={(kind) => set({ kind })} />
      <Chips id={`${id}-channel`} options={['wechat', 'alipay'] as const} value={d.channel} names={{ wechat: '微信支付', alipay: '支付宝' }} onPick={(c) => onChange(withChannel(d, c))} />
      <Chips id={`${id}-type`} options={account_types_of[d.channel]} value={d.accountType} names={account_type_names} onPick={(accountType) => set({ accountType })} />
      <Input className='split-input' id={`${id}-account`} placeholder={account_placeholders[d.accountType]} value={d.account} onInput={(e) => set({ account: e.detail.value })} />
      <Input className='split-input' id={`${id}-description`} placeholder={`分账说明（默认：${receiver_kind_names[d.kind]}）`} value={d.description} onInput={(e) => set({ description: e.detail.value })} />
      <Chips id={`${id}-share-kind`} options={['percent', 'fixed'] as const} value={d.shareKind} names={{ percent: '按比例（%）', fixed: '固定金额（元）' }} onPick={(shareKind) => set({ shareKind })} />
      <Input className='split-input' id={`${id}-share`} type='digit' placeholder={d.shareKind === 'percent' ? '比例，如 20 表示 20%' : '每笔固定金额，如 1.50'} value={d.share} onInput={(e) => set({ share: e.detail.value })} />
    </View>
  );
}

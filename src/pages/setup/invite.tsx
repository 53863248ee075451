import { Button, Input, Text, View } from '@tarojs/components';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { useState } from 'react';
import type { Role } from '../../../shared/api/common';
import type { InviteResponse, StoreSummary } from '../../../shared/api/identity';
import { invite_valid_days_default, name_length_max } from '../../../shared/api/limits';
import { QrCode } from '../../components/qr-code';
import { call } from '../../services/api';
import { roleNames } from '../../services/roles';
import { formErrors, setup_pages, staffOrSignIn, type FieldErrors } from './form';
import './setup.less';

const invitable: Role[] = ['assistant', 'manager', 'owner'];

/** The lengths an owner picks from; the API takes any whole number of days up to invite_valid_days_max. */
const valid_day_choices = [1, 3, invite_valid_days_default, 30] as const;

/** Big enough to scan from another phone held at arm's length. */
const invite_qr_px = 240;

function expiryText(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * 邀请店员: the owner names the person, picks a role and stores, and gets an
 * 8-character code to read out or send, and its QR: the person scans it with
 * their own WeChat or Alipay, which opens the sign-in screen with the code in
 * it. Opened with `?code=`, the page shows an open invitation again.
 */
export default function Invite() {
  const router = useRouter();
  const [stores, setStores] = useState<StoreSummary[]>([]);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('assistant');
  const [chosen, setChosen] = useState<string[]>([]);
  const [validDays, setValidDays] = useState<number>(invite_valid_days_default);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [invite, setInvite] = useState<InviteResponse | null>(null);
  // Looking up `?code=`: null when the page was opened to make a new invitation.
  const [lookup, setLookup] = useState<'loading' | 'missing' | null>(router.params.code ? 'loading' : null);

  useDidShow(() => {
    const staff = staffOrSignIn(setup_pages.invite);
    if (!staff) return;
    setStores(staff.stores);
    setChosen((c) => (c.length > 0 ? c : staff.stores.slice(0, 1).map((s) => s.id)));
    const again = router.params.code;
    if (again) {
      void call('openInvites', { quiet: true })
        .then((r) => {
          const found = r.items.find((i) => i.code === again) ?? null;
          setInvite(found);
          setLookup(found ? null : 'missing');
        })
        .catch(() => setLookup('missing'));
    }
  });

  const create = async () => {
    setErrors({});
    try {
      setInvite(await call('createInvite', { body: { name: name.trim(), role, storeIds: chosen, validDays }, quiet: true }));
    } catch (error) {
      setErrors(formErrors(error));
    }
  };

  const share = () => {
    if (!invite) return;
    const text = `邀请你加入我的店，做${roleNames[invite.role]}：用微信或支付宝打开 ${invite.url} ，或打开小程序「我的 › 店员开单」，登录后输入邀请码 ${invite.code}（${expiryText(invite.expiresAt)} 前有效）`;
    void Taro.setClipboardData({ data: text });
  };

  if (invite) {
    return (
      <View className='page'>
        <View className='section' id='invite-result'>
          <View className='section-title'>
            邀请 {invite.name} 做{roleNames[invite.role]}
          </View>
          <View className='invite-code' id='invite-code-value'>
            {invite.code}
          </View>
          <View className='muted' style={{ textAlign: 'center' }} id='invite-expiry'>
            {expiryText(invite.expiresAt)} 前有效，只能用一次
          </View>
          <View style={{ margin: '16px 0' }}>
            <QrCode id='invite-qr' text={invite.url} sizePx={invite_qr_px} />
          </View>
          <View className='muted'>对方用自己的微信或支付宝扫这个二维码，登录后确认绑定；或打开小程序「我的 › 店员开单」，登录后输入邀请码。</View>
          <Button id='invite-copy' type='primary' onClick={share}>
            复制邀请信息，发给对方
          </Button>
          <Button onClick={() => void Taro.navigateBack()}>完成</Button>
        </View>
      </View>
    );
  }

  if (lookup === 'loading') return <View className='page muted'>加载中…</View>;

  return (
    <View className='page'>
      <View className='section' id='invite-form'>
        <View className='section-title'>邀请店员</View>
        {lookup === 'missing' && <View className='field-error'>这个邀请码已用过、已作废或已过期，可以在下面重新邀请。</View>}
        <View className='s-label'>称呼</View>
        <Input id='invite-name' className='s-input' maxlength={name_length_max} placeholder='例如：小周' value={name} onInput={(e) => setName(e.detail.value)} />
        {errors.name && <View className='field-error'>{errors.name}</View>}
        <View className='s-label'>角色</View>
        <View>
          {invitable.map((r) => (
            <Text key={r} id={`invite-role-${r}`} className={`chip ${role === r ? 'chip--on' : ''}`} onClick={() => setRole(r)}>
              {roleNames[r]}
            </Text>
          ))}
        </View>
        <View className='s-label'>门店</View>
        <View>
          {stores.map((s) => (
            <Text key={s.id} className={`chip ${chosen.includes(s.id) ? 'chip--on' : ''}`} onClick={() => setChosen((c) => (c.includes(s.id) ? c.filter((id) => id !== s.id) : [...c, s.id]))}>
              {s.name}
            </Text>
          ))}
        </View>
        {errors.storeIds && <View className='field-error'>{errors.storeIds}</View>}
        <View className='s-label'>有效期</View>
        <View>
          {valid_day_choices.map((d) => (
            <Text key={d} id={`invite-days-${d}`} className={`chip ${validDays === d ? 'chip--on' : ''}`} onClick={() => setValidDays(d)}>
              {d} 天
            </Text>
          ))}
        </View>
        {errors.validDays && <View className='field-error'>{errors.validDays}</View>}
        <Button id='invite-create' type='primary' disabled={name.trim() === '' || chosen.length === 0} onClick={() => void create()}>
          生成邀请码
        </Button>
      </View>
    </View>
  );
}

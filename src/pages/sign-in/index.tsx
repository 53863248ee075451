import { Button, Input, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { lazy, Suspense, useState } from 'react';
import { invite_code_length } from '../../../shared/api/limits';
import { inviteFromLaunch } from '../../../shared/staff/invite-link';
import { bindStaff, signInStaff } from '../../services/auth';
import './index.less';

// Compiled into the H5 build only; the mini-program builds see `null`.
const SandboxPicker = process.env.TARO_ENV === 'h5' && process.env.TARO_APP_SANDBOX !== '' ? lazy(() => import('./sandbox-picker.h5')) : null;

const default_target = '/pages/counter/index';

export default function SignIn() {
  const router = useRouter();
  const target = safeTarget(router.params.redirect);
  const [userId, setUserId] = useState(process.env.TARO_ENV === 'h5' ? 'o_demo_owner' : '');
  const [step, setStep] = useState<'sign_in' | 'bind'>('sign_in');
  // An invitation's QR (`/j/<code>`) opens this page with the code, so the person only signs in and confirms.
  const [fromLink] = useState(() => inviteFromLaunch(router.params));
  const [invite, setInvite] = useState(fromLink ?? '');
  const [busy, setBusy] = useState(false);

  const finish = () => void Taro.redirectTo({ url: target });

  const signIn = async () => {
    if (busy) return;
    setBusy(true);
    try {
      const result = await signInStaff(SandboxPicker ? userId : undefined);
      if (result.kind === 'signed_in') finish();
      else setStep('bind');
    } catch {
      // signInStaff has shown the reason.
    } finally {
      setBusy(false);
    }
  };

  const bind = async () => {
    if (busy || invite.length !== invite_code_length) return;
    setBusy(true);
    try {
      await bindStaff(invite, SandboxPicker ? userId : undefined);
      finish();
    } catch {
      // bindStaff has shown the reason.
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className='page'>
      {SandboxPicker && step === 'sign_in' && (
        <Suspense fallback={null}>
          <SandboxPicker value={userId} onChange={setUserId} />
        </Suspense>
      )}
      {step === 'sign_in' ? (
        <View className='section'>
          <View className='section-title'>店员与店主登录</View>
          <View className='muted sign-in-hint'>用本机的{process.env.TARO_ENV === 'alipay' ? '支付宝' : '微信'}账号登录；{fromLink ? '登录后用扫码得到的邀请码绑定门店。' : '第一次使用需要店主给的邀请码。'}</View>
          <Button id='sign-in' type='primary' loading={busy} disabled={busy || (SandboxPicker !== null && userId === '')} onClick={() => void signIn()}>
            登录
          </Button>
        </View>
      ) : (
        <View className='section' id='bind-form'>
          <View className='section-title'>输入邀请码</View>
          <View className='muted sign-in-hint' id='bind-hint'>
            {fromLink && invite === fromLink ? '已带入扫码得到的邀请码，确认后绑定。' : `这个账号还没有绑定门店，请输入店主给你的 ${invite_code_length} 位邀请码。`}
          </View>
          <Input
            id='invite-code'
            className='invite-input'
            maxlength={invite_code_length}
            placeholder='邀请码'
            value={invite}
            onInput={(e) => setInvite(e.detail.value.toUpperCase().replace(/[^A-Z0-9]/g, ''))}
          />
          <Button id='bind' type='primary' loading={busy} disabled={busy || invite.length !== invite_code_length} onClick={() => void bind()}>
            绑定并登录
          </Button>
        </View>
      )}
    </View>
  );
}

/** Only pages of this app are valid targets, so a crafted link cannot send the user elsewhere. */
function safeTarget(raw: string | undefined): string {
  const path = raw ? decodeURIComponent(raw) : '';
  // A page of the counter, boss or setup sub-package, one or two folders deep (`/pages/boss/shifts/index`); nothing else, so a link cannot send a signed-in person off the app.
  return /^\/pages\/(counter|boss|setup)(\/[a-z-]+){1,2}$/.test(path) ? path : default_target;
}

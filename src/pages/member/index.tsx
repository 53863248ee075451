import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidHide, useDidShow } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { BindPhoneRequest, MemberCentre } from '../../../shared/api/members';
import { call, showError } from '../../services/api';
import { QrCode } from '../../components/qr-code';
import { alipayConsent, phoneButtonKind, PhoneConsentRefused, sandboxConsent, wechatConsent } from '../../services/member-phone';
import { getSession, saveSession } from '../../services/session';
import './member.less';

/** What a level gives, in the member's words. */
function benefitText(level: { discountBp: number; pointsMultiplierBp: number }): string {
  const parts: string[] = [];
  if (level.discountBp > 0) parts.push(`购物享 ${(100 - level.discountBp / 100) / 10} 折`);
  if (level.pointsMultiplierBp !== 10_000) parts.push(`积分 ${level.pointsMultiplierBp / 10_000} 倍`);
  return parts.length > 0 ? parts.join('，') : '暂无额外权益';
}

/**
 * 会员中心 (#17): the member's live points, level and what it gives, the
 * rotating member code the counter scans, phone binding (which makes a
 * shopper and the counter's member with that phone one member), and the
 * ways to their points, orders and reservations. Everything comes through the
 * member's own session.
 */
export default function MemberCentrePage() {
  const [centre, setCentre] = useState<MemberCentre | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [code, setCode] = useState<{ code: string; refreshAt: string } | null>(null);
  const [visible, setVisible] = useState(true);
  const [binding, setBinding] = useState(false);

  const load = async () => {
    try {
      setCentre(await call('memberCentre', { as: 'shopper', quiet: true }));
      setFailed(null);
    } catch (e) {
      setFailed(e instanceof Error ? e.message : '会员信息暂时打不开');
    }
  };

  useDidShow(() => {
    setVisible(true);
    void load();
  });
  useDidHide(() => setVisible(false));

  // The code rotates every minute: fetch the next one when this one's window ends, while the page is shown.
  const memberId = centre?.member.id;
  useEffect(() => {
    if (!visible || !memberId) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const refresh = async () => {
      try {
        const next = await call('memberCode', { as: 'shopper', quiet: true });
        if (stopped) return;
        setCode(next);
        timer = setTimeout(() => void refresh(), Math.max(1_000, new Date(next.refreshAt).getTime() - Date.now() + 500));
      } catch {
        if (!stopped) timer = setTimeout(() => void refresh(), 10_000);
      }
    };
    void refresh();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [visible, memberId]);

  const bind = async (consent: () => Promise<BindPhoneRequest> | BindPhoneRequest) => {
    if (binding) return;
    setBinding(true);
    try {
      const answer = await call('bindPhone', { body: await consent(), as: 'shopper' });
      // The survivor's session replaces the old one, which would only lead there anyway.
      const session = getSession('shopper');
      if (session) saveSession('shopper', { ...session, token: answer.token, expiresAt: answer.expiresAt, member: { id: answer.member.id, name: answer.member.name, level: answer.member.level, points: answer.member.points } });
      void Taro.showToast({ title: answer.merged ? '已合并门店会员' : '手机号已绑定', icon: 'success' });
      await load();
    } catch (e) {
      if (e instanceof PhoneConsentRefused) void Taro.showToast({ title: e.message, icon: 'none' });
      else showError(e);
    } finally {
      setBinding(false);
    }
  };

  if (failed) return <View className='page'><View className='section' id='member-centre-error'>{failed}</View></View>;
  if (!centre) return <View className='page muted'>正在打开会员中心…</View>;
  const { member, level, nextLevel } = centre;
  return (
    <View className='page'>
      <View className='member-card' id='member-centre-card'>
        <View className='member-card-name'>{member.name ?? '会员'}</View>
        <View className='member-card-line'>{centre.merchant.name} · {member.level}{member.phoneMasked ? ` · ${member.phoneMasked}` : ''}</View>
        <View className='member-points'><Text id='member-centre-points'>{member.points}</Text></View>
        <View className='member-card-line'>可用积分</View>
      </View>

      {!member.phoneBound && (
        <View className='section' id='bind-phone'>
          <View className='section-title'>绑定手机号</View>
          <View className='muted'>绑定后，在门店消费的积分和订单与这里合为一个会员。</View>
          {phoneButtonKind === 'wechat' && (
            <Button id='bind-phone-button' type='primary' openType='getPhoneNumber' loading={binding} onGetPhoneNumber={(e) => void bind(() => wechatConsent(e.detail))}>
              授权手机号
            </Button>
          )}
          {phoneButtonKind === 'alipay' && (
            <Button id='bind-phone-button' type='primary' openType='getAuthorize' scope='phoneNumber' loading={binding} onGetAuthorize={() => void bind(alipayConsent)}>
              授权手机号
            </Button>
          )}
          {phoneButtonKind === 'h5' && (
            <Button id='bind-phone-button' type='primary' loading={binding} onClick={() => void bind(sandboxConsent)}>
              授权手机号
            </Button>
          )}
        </View>
      )}

      <View className='section member-code' id='member-code'>
        <View className='section-title'>会员码</View>
        {code ? <QrCode id='member-code-qr' text={code.code} sizePx={200} /> : <View className='muted'>正在生成…</View>}
        <View className='muted'>结账时出示给店员扫码，每分钟自动更新</View>
      </View>

      <View className='section' id='member-level'>
        <View className='section-title'>等级权益</View>
        <View>{member.level}：{level ? benefitText(level) : '暂无额外权益'}</View>
        {nextLevel && <View className='muted'>升级到{nextLevel.name}：{benefitText(nextLevel)}</View>}
      </View>

      <View className='section'>
        <View className='member-link' id='go-points' onClick={() => void Taro.navigateTo({ url: '/pages/member/points' })}><Text>积分明细</Text><Text className='muted'>›</Text></View>
        <View className='member-link' id='go-orders' onClick={() => void Taro.navigateTo({ url: '/pages/member/orders' })}><Text>我的订单</Text><Text className='muted'>›</Text></View>
        <View className='member-link' id='go-reservations' onClick={() => void Taro.navigateTo({ url: '/pages/member/reservations' })}><Text>我的预约</Text><Text className='muted'>›</Text></View>
      </View>
    </View>
  );
}

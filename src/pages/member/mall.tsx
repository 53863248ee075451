import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useRef, useState } from 'react';
import type { GiftView, RedemptionView } from '../../../shared/api/points-mall';
import { formatFen } from '../../../shared/money';
import { formatShanghaiTime } from '../../../shared/receipt/layout';
import { call } from '../../services/api';
import { ensureShopper } from '../../services/auth';
import { ApiError } from '../../services/errors';
import { currentStoreCode } from '../../services/store-code';
import { newId } from '../../../shared/ids';
import './member.less';

const status_names: Record<RedemptionView['status'], string> = { awaiting_pickup: '待领取', picked_up: '已领取', cancelled: '已取消' };

/** What a gift costs, as the member reads it: points, and the cash part paid at the counter. */
function priceOf(g: { pointsPrice: number; cashFen: number }): string {
  return g.cashFen > 0 ? `${g.pointsPrice} 积分 + ${formatFen(g.cashFen)}` : `${g.pointsPrice} 积分`;
}

/**
 * 积分商城: the gifts this store has for points, the member's live points,
 * and their redemptions with the pickup code to show at the counter. A tap on
 * 兑换 carries one key; pressing again after a lost answer resends the same
 * key, so the server makes one redemption.
 */
export default function Mall() {
  const [storeId, setStoreId] = useState<string | null>(null);
  const [storeName, setStoreName] = useState('');
  const [points, setPoints] = useState<number | null>(null);
  const [gifts, setGifts] = useState<GiftView[] | null>(null);
  const [redemptions, setRedemptions] = useState<RedemptionView[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const pending = useRef<{ giftId: string; key: string } | null>(null);

  const load = async (id: string) => {
    const [me, list, mine] = await Promise.all([
      call('me', { as: 'shopper', quiet: true }).catch(() => null),
      call('shopMallGifts', { query: { storeId: id }, quiet: true }).catch(() => null),
      call('shopMallRedemptions', { quiet: true }).catch(() => null),
    ]);
    setPoints(me?.kind === 'member' ? me.member.points : null);
    setGifts(list?.items ?? []);
    setRedemptions(mine?.items ?? []);
  };

  useDidShow(() => {
    void ensureShopper(currentStoreCode()).then((s) => {
      if (!s) {
        setGifts([]);
        setMessage('请在店铺小程序里登录后再兑换');
        return;
      }
      setStoreId(s.store.id);
      setStoreName(s.store.name);
      void load(s.store.id);
    });
  });

  const redeem = async (g: GiftView) => {
    if (!storeId || busy) return;
    const key = pending.current?.giftId === g.id ? pending.current.key : newId('request');
    pending.current = { giftId: g.id, key };
    setBusy(g.id);
    setMessage(null);
    try {
      const r = await call('shopMallRedeem', { body: { giftId: g.id, storeId, qty: 1, idempotencyKey: key }, quiet: true });
      pending.current = null;
      setMessage(`兑换成功，取货码 ${r.redemption.pickupCode ?? ''}，到 ${r.redemption.storeName} 出示领取`);
      await load(storeId);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.status !== 0) pending.current = null;
      setMessage(e.status === 0 ? '网络没有回应，请再按一次兑换（不会重复扣积分）' : e.message);
    } finally {
      setBusy(null);
    }
  };

  const cancel = async (r: RedemptionView) => {
    const ok = await Taro.showModal({ title: '取消兑换', content: `取消后退回 ${r.points} 积分，确定取消吗？` });
    if (!ok.confirm || !storeId) return;
    try {
      await call('shopMallCancel', { params: { redemptionId: r.id } });
      setMessage(`已取消，${r.points} 积分已退回`);
      await load(storeId);
    } catch {
      // The toast has said why.
    }
  };

  return (
    <View className='page'>
      <View className='section' id='mall-points'>
        <View className='muted'>我的积分</View>
        <Text className='m-points' id='mall-points-balance'>
          {points ?? '—'}
        </Text>
        <View className='row'>
          <Text className='muted'>{storeName ? `在 ${storeName} 领取` : ''}</Text>
          <Text className='m-link' id='go-invite' onClick={() => void Taro.navigateTo({ url: '/pages/member/invite' })}>
            邀请好友得积分 ›
          </Text>
        </View>
      </View>
      {message && (
        <View className='section' id='mall-message'>
          {message}
        </View>
      )}
      <View className='section' id='mall-gifts'>
        <View className='section-title'>可兑换的礼品</View>
        {gifts === null && <View className='muted'>加载中…</View>}
        {gifts?.length === 0 && <View className='muted'>本店暂时没有可兑换的礼品</View>}
        {gifts?.map((g) => {
          const left = g.perMemberMax - g.takenByMember;
          const why = g.available <= 0 ? '已兑完' : left <= 0 ? '已达限兑' : points !== null && points < g.pointsPrice ? '积分不足' : null;
          return (
            <View key={g.id} className='m-gift row' data-gift={g.name}>
              <View className='m-gift-text'>
                <View className='m-gift-name'>{g.name}</View>
                <View className='price'>{priceOf(g)}</View>
                <View className='muted'>
                  剩 {g.available} 件 · 每人限兑 {g.perMemberMax} 件{g.cashFen > 0 ? ' · 加价到店付' : ''}
                </View>
              </View>
              {/* A plain view, not Button: the platforms' button styles would override the shop's red pill. */}
              <View className={`m-redeem ${why !== null || busy !== null ? 'm-redeem--off' : ''}`} onClick={() => (why === null && busy === null ? void redeem(g) : undefined)}>
                {why ?? (busy === g.id ? '兑换中' : '兑换')}
              </View>
            </View>
          );
        })}
      </View>
      <View className='section' id='mall-redemptions'>
        <View className='section-title'>我的兑换</View>
        {redemptions.length === 0 && <View className='muted'>还没有兑换过</View>}
        {redemptions.map((r) => (
          <View key={r.id} className='m-gift' data-status={r.status}>
            <View className='row'>
              <Text>
                {r.giftName} × {r.qty}
              </Text>
              <Text className='muted'>{status_names[r.status]}</Text>
            </View>
            {r.pickupCode && (
              <View className='row'>
                <View>
                  <View className='muted'>取货码（到 {r.storeName} 出示给店员）</View>
                  <Text className='m-code'>{r.pickupCode}</Text>
                </View>
                <Text className='m-link' onClick={() => void cancel(r)}>
                  取消兑换
                </Text>
              </View>
            )}
            <View className='muted'>
              {r.points} 积分{r.cashFen > 0 ? ` + ${formatFen(r.cashFen)}（到店付）` : ''} · {formatShanghaiTime(r.createdAt)}
            </View>
          </View>
        ))}
      </View>
    </View>
  );
}

import { Button, Input, Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import type { CouponView } from '../../../../shared/api/coupons';
import { looksLikeMemberCode, type MemberCard } from '../../../../shared/api/members';
import type { PricingContext } from '../../../../shared/api/orders';
import { call, showError } from '../../../services/api';
import { ApiError } from '../../../services/errors';
import { busyProps } from '../../../services/stock-ops';

/**
 * The member on the bill and the points to redeem. It lives on the billing screen rather than in the
 * panel because pricing reads it and finishing a bill clears it.
 */
export function useMemberDraft() {
  const [query, setQuery] = useState('');
  const [member, setMember] = useState<MemberCard | null>(null);
  const [missing, setMissing] = useState(false);
  const [pointsText, setPointsText] = useState('');
  // The member's coupons usable in this store, and the one chosen for this bill (one per order).
  const [coupons, setCoupons] = useState<CouponView[]>([]);
  const [coupon, setCoupon] = useState<CouponView | null>(null);
  /** The member's stored value (储值, #17), offered as a tender when there is some. */
  const [storedValueFen, setStoredValueFen] = useState(0);
  const loadStoredValue = (m: MemberCard) => {
    setStoredValueFen(0);
    call('memberStoredValue', { params: { memberId: m.id }, quiet: true }).then((s) => setStoredValueFen(s.balance.totalFen), () => setStoredValueFen(0));
  };

  const lookup = async () => {
    const q = query.trim();
    // The member's rotating QR (会员码) from the member centre; a bare id still works for older cards and tools.
    const byCode = looksLikeMemberCode(q);
    const byId = byCode || /^mbr_/.test(q);
    setMissing(false);
    try {
      const { member: found } = await call('memberLookup', { query: byCode ? { code: q } : byId ? { memberId: q } : { phone: q }, quiet: true });
      setMember(found);
      loadStoredValue(found);
      setPointsText('');
    } catch (e) {
      // Only an unknown phone number can become a new card; an unknown member code is a mistake.
      if (e instanceof ApiError && e.status === 404 && !byId) setMissing(true);
      else showError(e);
    }
  };

  const create = async () => {
    try {
      const { member: created } = await call('createMember', { body: { phone: query.trim() } });
      setMember(created);
      setStoredValueFen(0);
      setMissing(false);
    } catch {
      // call() has shown the reason.
    }
  };

  const clear = () => {
    setMember(null);
    setStoredValueFen(0);
    setQuery('');
    setPointsText('');
    setCoupons([]);
    setCoupon(null);
  };

  const pointsToRedeem = member ? Math.max(0, Math.floor(Number(pointsText) || 0)) : 0;
  return { query, setQuery, member, setMember, storedValueFen: member ? storedValueFen : 0, missing, pointsText, setPointsText, pointsToRedeem, lookup, create, clear, coupons, setCoupons, coupon: member ? coupon : null, setCoupon };
}

export type MemberDraft = ReturnType<typeof useMemberDraft>;

/** The member section: look a member up by phone or member code, open a card, or redeem points. */
export function MemberPanel({ draft, context, online, storeId }: { draft: MemberDraft; context: PricingContext | null; online: boolean; storeId: string }) {
  const { member, setCoupons, setCoupon } = draft;
  const memberId = member?.id ?? '';
  // A member attached (or another one) brings their own coupons; the choice of the last one goes.
  useEffect(() => {
    setCoupon(null);
    setCoupons([]);
    if (!memberId || !storeId || !online) return;
    call('storeMemberCoupons', { params: { storeId }, query: { memberId }, quiet: true })
      .then((r) => setCoupons(r.items))
      .catch(() => setCoupons([]));
  }, [memberId, storeId, online, setCoupon, setCoupons]);
  return (
    <View className='section' id='member'>
      <View className='section-title'>会员</View>
      {member ? (
        <View id='member-card'>
          <View className='row'>
            <Text id='member-name'>
              {member.name ?? '会员'} {member.phoneMasked ?? ''}
            </Text>
            <Text className='link' id='member-clear' onClick={() => draft.setMember(null)}>
              移除
            </Text>
          </View>
          <View className='muted' id='member-level'>
            {member.level} · 积分 <Text id='member-points'>{member.points}</Text>
          </View>
          {context && context.redeemCapBp > 0 && member.points > 0 && (
            <Input
              id='points-redeem'
              className='counter-input'
              type='number'
              placeholder={`抵扣积分（${context.redeemPointsPerFen} 积分抵 1 分）`}
              value={draft.pointsText}
              onInput={(e) => draft.setPointsText(e.detail.value.replace(/\D/g, ''))}
            />
          )}
          {draft.coupons.length > 0 && (
            <View id='member-coupons'>
              <View className='muted'>优惠券（点选使用，一单一张）</View>
              {draft.coupons.map((c) => (
                <View
                  key={c.id}
                  id={`coupon-${c.id}`}
                  data-coupon={c.name}
                  className={`row coupon-choice${draft.coupon?.id === c.id ? ' coupon-chosen' : ''}`}
                  onClick={() => setCoupon(draft.coupon?.id === c.id ? null : c)}
                >
                  <Text>
                    {draft.coupon?.id === c.id ? '✓ ' : ''}
                    {c.summary} · {c.name}
                  </Text>
                  <Text className='muted'>{new Date(new Date(c.validUntil).getTime() + 8 * 3_600_000).toISOString().slice(5, 10)} 到期</Text>
                </View>
              ))}
            </View>
          )}
        </View>
      ) : (
        <View>
          <View className='row'>
            <Input
              id='member-phone'
              className='counter-input grow'
              placeholder='会员手机号或会员码'
              value={draft.query}
              onInput={(e) => draft.setQuery(e.detail.value.trim())}
              onConfirm={() => void draft.lookup()}
            />
            <Button id='member-lookup' size='mini' {...busyProps(!online || draft.query === '')} onClick={() => void draft.lookup()}>
              查询
            </Button>
          </View>
          {draft.missing && (
            <View className='row'>
              <Text className='muted'>没有这个会员</Text>
              <Button id='member-create' size='mini' onClick={() => void draft.create()}>
                用此手机号开卡
              </Button>
            </View>
          )}
        </View>
      )}
    </View>
  );
}

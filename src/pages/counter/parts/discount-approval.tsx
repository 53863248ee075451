import { Input, Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import type { Role } from '../../../../shared/api/common';
import { fenToYuan } from '../../../../shared/money';
import { handDiscountOf, handDiscountOver, type HandDiscountLimit } from '../../../../shared/pricing/hand-discount';
import type { PricingResult } from '../../../../shared/pricing/types';
import { call } from '../../../services/api';

/**
 * When the bill's hand discounts go past what this person may give, the
 * screen says so before the sale is sent and asks for the manager's
 * six-digit code (the manager makes one on 改价审批). The same arithmetic
 * as the server (shared/pricing/hand-discount.ts), so the two agree.
 */
export function DiscountApproval({ result, role, code, onCode }: { result: PricingResult | null; role: Role | undefined; code: string; onCode: (code: string) => void }) {
  const [limit, setLimit] = useState<HandDiscountLimit | null>(null);
  useEffect(() => {
    if (!role) return;
    call('discountLimits', { quiet: true })
      .then((r) => setLimit(r.items.find((i) => i.role === role) ?? null))
      .catch(() => undefined);
  }, [role]);
  if (!result || !limit) return null;
  const over = handDiscountOver(handDiscountOf(result), limit);
  if (over.length === 0) return null;
  return (
    <View className='section notice' id='discount-approval'>
      <Text>
        改价超出你的权限（单品最多减 {limit.lineBpMax / 100}%、整单最多减 {limit.orderBpMax / 100}%、合计最多 ¥{fenToYuan(limit.totalFenMax)}），请店长在“审批（退货 / 改价）”里给一个审批码：
      </Text>
      <View className='field'>
        <Text className='field-label'>审批码</Text>
        <Input id='discount-approval-code' className='counter-input' type='number' maxlength={6} placeholder='6 位数字' value={code} onInput={(e) => onCode(e.detail.value.replace(/\D/g, ''))} />
      </View>
    </View>
  );
}

import { Button, Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { TradeCustomerView } from '../../../../shared/api/credit';
import { formatFen } from '../../../../shared/money';
import type { PricingResult } from '../../../../shared/pricing/types';
import { signedFen, type CreditCheck } from '../../../services/counter-account';
import type { CounterBill } from '../../../services/counter-cart';
import { busyProps } from '../../../services/stock-ops';

const isH5 = process.env.TARO_ENV === 'h5';

async function scanApproval(): Promise<string | null> {
  try {
    const res = (await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] })) as { result?: string; code?: string };
    return (res.result ?? res.code ?? '').trim() || null;
  } catch {
    return null;
  }
}

interface ApprovalProps {
  approvalText: string;
  onApprovalText: (text: string) => void;
  /** The approval id as parsed, or null when nothing (or nothing valid) was entered. */
  approvalId: string | null;
}

interface Props extends ApprovalProps {
  customer: TradeCustomerView;
  /** The bill at the customer's prices, line by line as `result` priced it. */
  bill: CounterBill;
  result: PricingResult;
  check: CreditCheck;
  isManager: boolean;
  /** Why the server refused the last try, or a mistake in the approval id; empty when none. */
  refusal: string;
  busy: boolean;
  onSubmit: () => void;
}

/** The sale on account: its lines at the customer's prices, the credit left after it, and the button that makes it. */
export function AccountBill({ customer, bill, result, check, isManager, refusal, busy, onSubmit, ...approval }: Props) {
  return (
    <View className='section' id='account-bill'>
      {bill.lines.map((l, i) => (
        <View key={l.skuId} className='row preview-row account-line'>
          <Text className='grow'>
            {l.name}
            {l.spec ? ` ${l.spec}` : ''} × {l.qty}
          </Text>
          <Text>{formatFen(result.lines[i]?.netFen ?? 0)}</Text>
        </View>
      ))}
      <View className='row total-row'>
        <Text className='section-title'>赊账金额</Text>
        <Text id='account-total' className='price total'>
          {formatFen(result.totalFen)}
        </Text>
      </View>
      <View className='row'>
        <Text>赊账后剩余额度</Text>
        <Text id='credit-left' className={check.leftAfterFen < 0 ? 'offline-tag' : ''}>
          {signedFen(check.leftAfterFen)}
        </Text>
      </View>

      {check.overByFen > 0 && <CreditWarning customer={customer} check={check} totalFen={result.totalFen} isManager={isManager} {...approval} />}

      {refusal !== '' && (
        <View id='account-error' className='credit-refusal'>
          {refusal}
        </View>
      )}

      <Button id='account-submit' type='primary' {...busyProps(busy, true)} onClick={onSubmit}>
        赊账 {formatFen(result.totalFen)}
      </Button>
    </View>
  );
}

/**
 * Over the limit: an owner or manager may go ahead (it is audited); anyone else needs a manager's
 * one-time approval id, which this asks for and checks the shape of.
 */
function CreditWarning({ customer, check, totalFen, isManager, approvalText, onApprovalText, approvalId }: ApprovalProps & { customer: TradeCustomerView; check: CreditCheck; totalFen: number; isManager: boolean }) {
  return (
    <View id='credit-warning' className='credit-warning'>
      <View className='credit-warning-title'>超出信用额度 {formatFen(check.overByFen)}</View>
      {isManager ? (
        <View>赊账后将欠 {formatFen(check.owedAfterFen)}，额度 {formatFen(customer.creditLimitFen)}。你可以直接赊账，会记入审计。</View>
      ) : (
        <View>
          <View>
            赊账后将欠 {formatFen(check.owedAfterFen)}，额度 {formatFen(customer.creditLimitFen)}，需要店长审批：请店长在手机上打开「老板」→ 商贸客户 → {customer.name} →「超额赊账审批」，批准至少 {formatFen(totalFen)}，再把审批号发给你（15 分钟内有效，只能用一次）。
          </View>
          <View className='row'>
            <Input id='approval-id' className='counter-input grow' placeholder='粘贴或输入店长审批号' value={approvalText} onInput={(e) => onApprovalText(e.detail.value)} />
            {!isH5 && (
              <Button size='mini' onClick={() => void scanApproval().then((c) => (c ? onApprovalText(c) : undefined))}>
                扫码
              </Button>
            )}
          </View>
          {approvalText.trim() !== '' && <View className={approvalId ? 'muted' : 'offline-tag'}>{approvalId ? `审批号 ${approvalId}` : '审批号格式不对'}</View>}
        </View>
      )}
    </View>
  );
}

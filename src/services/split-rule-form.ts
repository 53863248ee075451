import { fenToYuan, yuanToFen } from '../../shared/money';
import { newId } from '../../shared/ids';
import { splitRuleRequest, type SplitReceiverInput, type SplitRuleRequest, type SplitRuleView } from '../../shared/api/split';
import { percentToBp } from './percent';

/** One receiver as the owner types it: the share as a percentage ("20", "12.5") or a fixed amount in yuan ("1.50"). */
export interface ReceiverDraft {
  name: string;
  kind: SplitReceiverInput['kind'];
  channel: SplitReceiverInput['channel'];
  accountType: SplitReceiverInput['accountType'];
  account: string;
  description: string;
  shareKind: 'percent' | 'fixed';
  share: string;
}

export const receiver_kind_names: Record<ReceiverDraft['kind'], string> = { landlord: '房东/商场', brand: '品牌方', platform: '服务商', staff: '员工' };
export const account_type_names: Record<ReceiverDraft['accountType'], string> = { MERCHANT_ID: '商户号', PERSONAL_OPENID: '个人微信', loginName: '支付宝账号', userId: '支付宝用户号' };
export const account_types_of: Record<ReceiverDraft['channel'], readonly ReceiverDraft['accountType'][]> = { wechat: ['MERCHANT_ID', 'PERSONAL_OPENID'], alipay: ['loginName', 'userId'] };

export function blankReceiver(): ReceiverDraft {
  return { name: '', kind: 'landlord', channel: 'wechat', accountType: 'MERCHANT_ID', account: '', description: '', shareKind: 'percent', share: '' };
}

/** Changing the channel keeps the account type valid for it. */
export function withChannel(d: ReceiverDraft, channel: ReceiverDraft['channel']): ReceiverDraft {
  return { ...d, channel, accountType: account_types_of[channel].includes(d.accountType) ? d.accountType : account_types_of[channel][0]! };
}

/** A saved version's receivers as drafts, so the next version starts from what is in force. */
export function draftsOf(rule: SplitRuleView): ReceiverDraft[] {
  return rule.receivers.map((r) => ({
    name: r.name,
    kind: r.kind as ReceiverDraft['kind'],
    channel: r.channel as ReceiverDraft['channel'],
    accountType: r.accountType as ReceiverDraft['accountType'],
    account: r.account,
    description: r.description,
    shareKind: r.bp !== null ? 'percent' : 'fixed',
    share: r.bp !== null ? percentText(r.bp) : fenToYuan(r.fixedFen ?? 0),
  }));
}

function percentText(bp: number): string {
  return `${Math.floor(bp / 100)}${bp % 100 === 0 ? '' : `.${String(bp % 100).padStart(2, '0').replace(/0$/, '')}`}`;
}


export type RuleDraftResult = { ok: true; request: SplitRuleRequest } | { ok: false; message: string };

/**
 * The request the API takes, or the first thing to fix in Chinese. The API
 * checks everything again (caps, duplicates, dates); this only turns typed
 * text into numbers and names the receiver whose share is unreadable.
 */
export function ruleRequestOf(input: { clientRuleId: string; storeId: string | null; effectiveFrom: string; note: string; receivers: readonly ReceiverDraft[] }): RuleDraftResult {
  const receivers: SplitReceiverInput[] = [];
  for (const [i, d] of input.receivers.entries()) {
    const who = d.name.trim() || `第 ${i + 1} 个接收方`;
    let share: { bp: number } | { fixedFen: number };
    if (d.shareKind === 'percent') {
      const bp = percentToBp(d.share);
      if (bp === null || bp === 0) return { ok: false, message: `${who}：比例须为 0.01 到 100 之间、最多两位小数的百分数` };
      share = { bp };
    } else {
      let fen: number;
      try {
        fen = yuanToFen(d.share);
      } catch {
        return { ok: false, message: `${who}：固定金额须为最多两位小数的元数` };
      }
      if (fen <= 0) return { ok: false, message: `${who}：固定金额至少 0.01 元` };
      share = { fixedFen: fen };
    }
    receivers.push({ name: d.name.trim(), kind: d.kind, channel: d.channel, accountType: d.accountType, account: d.account.trim(), description: d.description.trim() || receiver_kind_names[d.kind], ...share });
  }
  const parsed = splitRuleRequest.safeParse({ clientRuleId: input.clientRuleId, storeId: input.storeId, effectiveFrom: input.effectiveFrom, note: input.note.trim(), receivers });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = issue.path[0] === 'receivers' && typeof issue.path[1] === 'number' ? `${receivers[issue.path[1]]?.name || `第 ${issue.path[1] + 1} 个接收方`}：` : '';
    return { ok: false, message: `${at}${fieldMessage(issue.path, issue.message)}` };
  }
  return { ok: true, request: parsed.data };
}

function fieldMessage(path: readonly PropertyKey[], message: string): string {
  const field = path[path.length - 1];
  if (field === 'name') return '请填写名称';
  if (field === 'account') return message.includes('重复') ? message : '请填写收款账号';
  return message;
}

export const newRuleId = (): string => newId('splitRule');

import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { Deps } from '../_kernel/deps.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { AppError } from '../_kernel/errors.js';
import { requestHash } from '../_kernel/idempotency.js';
import { businessDate } from '../_kernel/clock.js';
import { audit } from '../_audit/index.js';
import { newId } from '../../shared/ids.js';
import { bpTotal, wechat_split_cap_bp, type Share } from '../../shared/split/allocate.js';
import type { SplitRuleRequest, SplitRuleView } from '../../shared/api/split.js';
import type { SplitChannel } from './tables.js';
import { recordSplitLog } from './log.js';
import { alipay_split_cap_bp, alipay_user_id_pattern } from '../../shared/split/limits.js';

type Db = Kysely<DB> | Transaction<DB>;

/** What each platform lets be split away from one payment by default: WeChat 30 % (A10), Alipay 商家分账 30 % (B6). */
export const split_cap_bp: Record<SplitChannel, number> = { wechat: wechat_split_cap_bp, alipay: alipay_split_cap_bp };
/** An Alipay `loginName` receiver: the account's e-mail address or mainland mobile number. */
const alipay_login_name_pattern = /^(?:1\d{10}|[^\s@]{1,64}@[^\s@]{1,255}\.[A-Za-z]{2,})$/;
/** A rule may take effect at most this far ahead, so a typo in the year is caught. */
export const split_rule_effective_days_ahead_max = 366;

export interface RuleLine {
  lineNo: number;
  receiverId: string;
  name: string;
  kind: string;
  channel: SplitChannel;
  accountType: string;
  account: string;
  description: string;
  bp: number | null;
  fixedFen: number | null;
  addedAtPlatform: boolean;
}

export function shareOf(line: Pick<RuleLine, 'bp' | 'fixedFen'>): Share {
  return line.bp !== null ? { kind: 'bp', bp: line.bp } : { kind: 'fixed', fen: line.fixedFen! };
}

export async function ruleLines(db: Db, ruleId: string): Promise<RuleLine[]> {
  const rows = await db
    .selectFrom('split_rule_lines')
    .innerJoin('split_receivers', 'split_receivers.id', 'split_rule_lines.receiver_id')
    .select(['split_rule_lines.line_no', 'split_rule_lines.receiver_id', 'split_rule_lines.bp', 'split_rule_lines.fixed_fen', 'split_rule_lines.description', 'split_receivers.name', 'split_receivers.kind', 'split_receivers.channel', 'split_receivers.account_type', 'split_receivers.account', 'split_receivers.added_at_platform_at'])
    .where('split_rule_lines.rule_id', '=', ruleId)
    .orderBy('split_rule_lines.line_no')
    .execute();
  return rows.map((r) => ({
    lineNo: r.line_no,
    receiverId: r.receiver_id,
    name: r.name,
    kind: r.kind,
    channel: r.channel,
    accountType: r.account_type,
    account: r.account,
    description: r.description,
    bp: r.bp,
    fixedFen: r.fixed_fen === null ? null : Number(r.fixed_fen),
    addedAtPlatform: r.added_at_platform_at !== null,
  }));
}

async function ruleView(db: Db, ruleId: string): Promise<SplitRuleView> {
  const r = await db.selectFrom('split_rules').selectAll().where('id', '=', ruleId).executeTakeFirstOrThrow();
  const lines = await ruleLines(db, ruleId);
  return {
    id: r.id,
    storeId: r.store_id,
    version: r.version,
    effectiveFrom: r.effective_from,
    note: r.note,
    createdAt: r.created_at.toISOString(),
    receivers: lines.map((l) => ({ receiverId: l.receiverId, name: l.name, kind: l.kind, channel: l.channel, accountType: l.accountType, account: l.account, description: l.description, bp: l.bp, fixedFen: l.fixedFen })),
  };
}

/**
 * The rule in force for a store at a moment: the store's own rule if one has
 * taken effect, else the merchant-wide one; among a scope's versions, the
 * latest effective date, then the latest version, counting only versions
 * saved by then (so a payment keeps the rule it was created under).
 */
export async function ruleInForce(db: Db, merchantId: string, storeId: string, at: Date): Promise<string | null> {
  const day = businessDate(at);
  for (const scope of [storeId, '*']) {
    const rule = await db
      .selectFrom('split_rules')
      .select('id')
      .where('merchant_id', '=', merchantId)
      .where('scope', '=', scope)
      .where('effective_from', '<=', day)
      .where('created_at', '<=', at)
      .orderBy('effective_from', 'desc')
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (rule) return rule.id;
  }
  return null;
}

/** Whether a payment on this channel at this store is placed for profit sharing: a rule is in force with a receiver on that channel. */
export async function splitsPaymentsOn(db: Db, merchantId: string, storeId: string, channel: SplitChannel, at: Date): Promise<boolean> {
  const ruleId = await ruleInForce(db, merchantId, storeId, at);
  if (!ruleId) return false;
  const line = await db
    .selectFrom('split_rule_lines')
    .innerJoin('split_receivers', 'split_receivers.id', 'split_rule_lines.receiver_id')
    .select('split_rule_lines.line_no')
    .where('split_rule_lines.rule_id', '=', ruleId)
    .where('split_receivers.channel', '=', channel)
    .limit(1)
    .executeTakeFirst();
  return line !== undefined;
}

function ownerOnly(staff: StaffPrincipal): void {
  if (staff.role !== 'owner') throw new AppError('forbidden', '只有店主可以设置分账规则');
}

/**
 * Saves a new version of the split rule for a store (or the whole merchant
 * when storeId is null). Nothing is edited in place: the version number is
 * the next for its scope, taken under a unique constraint, so two owners
 * saving at once get distinct versions or a clear conflict.
 */
export async function saveSplitRule(deps: Deps, staff: StaffPrincipal, input: SplitRuleRequest): Promise<{ rule: SplitRuleView; replayed: boolean }> {
  ownerOnly(staff);
  const hash = requestHash(input);
  const existing = await deps.db.selectFrom('split_rules').select(['id', 'merchant_id', 'request_hash']).where('id', '=', input.clientRuleId).executeTakeFirst();
  if (existing) {
    if (existing.merchant_id !== staff.merchantId || existing.request_hash !== hash) throw new AppError('idempotency_mismatch', `规则号 ${input.clientRuleId} 已用于另一条分账规则`);
    return { rule: await ruleView(deps.db, existing.id), replayed: true };
  }
  if (input.storeId) {
    const store = await deps.db.selectFrom('stores').select('id').where('id', '=', input.storeId).where('merchant_id', '=', staff.merchantId).executeTakeFirst();
    if (!store) throw new AppError('not_found', `找不到门店 ${input.storeId}`);
  }
  const now = deps.clock();
  const today = businessDate(now);
  const latest = businessDate(new Date(now.getTime() + split_rule_effective_days_ahead_max * 86_400_000));
  if (Number.isNaN(Date.parse(`${input.effectiveFrom}T00:00:00Z`)) || input.effectiveFrom < today || input.effectiveFrom > latest) {
    throw new AppError('validation_failed', `生效日期须在今天（${today}）到 ${split_rule_effective_days_ahead_max} 天内（split_rule_effective_days_ahead_max）`, [{ path: 'effectiveFrom', message: '超出范围' }]);
  }
  for (const channel of ['wechat', 'alipay'] as const) {
    const shares: Share[] = input.receivers.filter((r) => r.channel === channel).map((r) => (r.bp !== undefined ? { kind: 'bp', bp: r.bp } : { kind: 'fixed', fen: r.fixedFen! }));
    const total = bpTotal(shares);
    if (total > split_cap_bp[channel]) {
      throw new AppError('validation_failed', `${channel === 'wechat' ? '微信' : '支付宝'}分账比例合计 ${total / 100}% 超过平台上限 ${split_cap_bp[channel] / 100}%（${channel}_split_cap_bp）`, [{ path: 'receivers', message: '超过分账上限' }]);
    }
  }
  input.receivers.forEach((r, i) => {
    if (r.channel !== 'alipay') return;
    const fits = r.accountType === 'userId' ? alipay_user_id_pattern.test(r.account) : alipay_login_name_pattern.test(r.account);
    if (!fits) throw new AppError('validation_failed', `支付宝接收方 ${r.name} 的账号 ${r.account} 不是有效的${r.accountType === 'userId' ? '支付宝用户号（2088 开头的 16 位数字）' : '登录账号（邮箱或手机号）'}`, [{ path: `receivers.${i}.account`, message: '账号格式不对' }]);
  });
  const scope = input.storeId ?? '*';
  const ruleId = await deps.db.transaction().execute(async (trx) => {
    const prior = await trx.selectFrom('split_rules').select((eb) => eb.fn.max('version').as('v')).where('merchant_id', '=', staff.merchantId).where('scope', '=', scope).executeTakeFirst();
    const version = Number(prior?.v ?? 0) + 1;
    await trx
      .insertInto('split_rules')
      .values({ id: input.clientRuleId, merchant_id: staff.merchantId, store_id: input.storeId, scope, version, effective_from: input.effectiveFrom, note: input.note, request_hash: hash, created_by: staff.staffId, created_at: now })
      .execute();
    let lineNo = 0;
    for (const r of input.receivers) {
      await trx
        .insertInto('split_receivers')
        .values({ id: newId('splitReceiver'), merchant_id: staff.merchantId, name: r.name, kind: r.kind, channel: r.channel, account_type: r.accountType, account: r.account, created_at: now })
        .onConflict((oc) => oc.columns(['merchant_id', 'channel', 'account_type', 'account']).doUpdateSet({ name: r.name, kind: r.kind }))
        .execute();
      const receiver = await trx.selectFrom('split_receivers').select('id').where('merchant_id', '=', staff.merchantId).where('channel', '=', r.channel).where('account_type', '=', r.accountType).where('account', '=', r.account).executeTakeFirstOrThrow();
      await trx.insertInto('split_rule_lines').values({ rule_id: input.clientRuleId, line_no: lineNo++, receiver_id: receiver.id, bp: r.bp ?? null, fixed_fen: r.fixedFen ?? null, description: r.description }).execute();
    }
    await recordSplitLog(trx, { merchantId: staff.merchantId, event: 'rule_version', ruleId: input.clientRuleId, detail: { storeId: input.storeId, version, effectiveFrom: input.effectiveFrom, receivers: input.receivers }, at: now });
    await audit(trx, { merchantId: staff.merchantId, actorId: staff.staffId, action: 'split.rule', subjectId: input.clientRuleId, detail: { storeId: input.storeId, version } });
    return input.clientRuleId;
  });
  return { rule: await ruleView(deps.db, ruleId), replayed: false };
}

export async function listSplitRules(deps: Deps, staff: StaffPrincipal): Promise<SplitRuleView[]> {
  ownerOnly(staff);
  const ids = await deps.db.selectFrom('split_rules').select('id').where('merchant_id', '=', staff.merchantId).orderBy('scope').orderBy('version', 'desc').limit(200).execute();
  const out: SplitRuleView[] = [];
  for (const r of ids) out.push(await ruleView(deps.db, r.id));
  return out;
}

import { commission_tiers_max, type CommissionRuleRequest } from '../../shared/api/commission';
import type { FieldError } from './errors';
import { percentToBp } from './percent';

/**
 * The commission rule form as plain data: what the owner types (yuan and
 * percent as text), the request it makes, and where each of the API's
 * messages is shown. The API judges the tiers (overlaps, empty ranges); the
 * form only turns text into numbers. No Taro here.
 */

export type RuleScope = CommissionRuleRequest['scope'];
export type RuleKind = CommissionRuleRequest['kind'];
export type RuleRole = 'owner' | 'manager' | 'assistant';

export interface TierDraft {
  /** Monthly net sales from, yuan. */
  from: string;
  /** Up to (not including), yuan; empty for no upper end. */
  to: string;
  /** Percent of net sales, e.g. "2.5". */
  rate: string;
  /** Yuan per item sold. */
  perItem: string;
}

export interface RuleDraft {
  scope: RuleScope;
  role: RuleRole;
  target: { id: string; name: string } | null;
  kind: RuleKind;
  tiers: TierDraft[];
}

export const emptyTier: TierDraft = { from: '', to: '', rate: '', perItem: '' };
export const emptyRuleDraft: RuleDraft = { scope: 'role', role: 'assistant', target: null, kind: 'percent', tiers: [{ ...emptyTier, from: '0' }] };

/** Where a message is shown: next to the target, the kind, the tier list, one tier, or over the whole form. */
export type FieldKey = 'target' | 'kind' | 'tiers' | `tier.${number}` | 'form';

export type FieldMessages = Partial<Record<FieldKey, string>>;

function yuanText(text: string): number | null {
  const m = /^(\d{1,8})(?:\.(\d{0,2}))?$/.exec(text.trim());
  return m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : null;
}


export function addTier(draft: RuleDraft): RuleDraft {
  if (draft.tiers.length >= commission_tiers_max) return draft;
  // The next tier usually starts where the last one ends.
  const last = draft.tiers[draft.tiers.length - 1];
  return { ...draft, tiers: [...draft.tiers, { ...emptyTier, from: last?.to ?? '' }] };
}

export function removeTier(draft: RuleDraft, index: number): RuleDraft {
  return draft.tiers.length <= 1 ? draft : { ...draft, tiers: draft.tiers.filter((_, i) => i !== index) };
}

export function setTier(draft: RuleDraft, index: number, patch: Partial<TierDraft>): RuleDraft {
  return { ...draft, tiers: draft.tiers.map((t, i) => (i === index ? { ...t, ...patch } : t)) };
}

export type Built = { ok: true; request: CommissionRuleRequest } | { ok: false; messages: FieldMessages };

/** The request, or what cannot be read as a number, by field. */
export function ruleRequestOf(d: RuleDraft): Built {
  const messages: FieldMessages = {};
  if (d.scope !== 'role' && !d.target) messages.target = d.scope === 'category' ? '请选择品类' : '请选择商品';
  const tiers = d.tiers.map((t, i) => {
    const fromFen = yuanText(t.from);
    const toFen = t.to.trim() === '' ? null : yuanText(t.to);
    const value = d.kind === 'percent' ? percentToBp(t.rate) : yuanText(t.perItem);
    const bad = [
      fromFen === null ? '起点请填金额（元）' : '',
      toFen === null && t.to.trim() !== '' ? '终点请填金额（元），不封顶留空' : '',
      value === null ? (d.kind === 'percent' ? '提成比例请填百分数，最多两位小数' : '每件提成请填金额（元）') : '',
    ].filter(Boolean);
    if (bad.length > 0) messages[`tier.${i}`] = bad.join('；');
    return { fromFen: fromFen ?? 0, toFen, ...(d.kind === 'percent' ? { rateBp: value ?? 0 } : { perItemFen: value ?? 0 }) };
  });
  if (Object.keys(messages).length > 0) return { ok: false, messages };
  const target = d.scope === 'role' ? { role: d.role } : d.scope === 'category' ? { categoryId: d.target!.id } : { skuId: d.target!.id };
  return { ok: true, request: { scope: d.scope, ...target, kind: d.kind, tiers } };
}

/**
 * The API's messages by field: `tiers.1.toFen` goes next to the second tier,
 * `tiers` (overlaps, order) under the tier list, the scope and its target
 * next to the target, anything else over the form.
 */
export function messagesOf(message: string, fields: readonly FieldError[]): FieldMessages {
  const out: FieldMessages = {};
  const put = (key: FieldKey, text: string) => {
    out[key] = out[key] ? `${out[key]}；${text}` : text;
  };
  for (const f of fields) {
    const tier = /^tiers\.(\d+)/.exec(f.path);
    if (tier) put(`tier.${Number(tier[1])}`, f.message);
    else if (f.path === 'tiers') put('tiers', f.message);
    else if (['scope', 'role', 'categoryId', 'skuId'].includes(f.path)) put('target', f.message);
    else if (f.path === 'kind') put('kind', f.message);
    else put('form', f.message);
  }
  if (Object.keys(out).length === 0) out.form = message;
  return out;
}

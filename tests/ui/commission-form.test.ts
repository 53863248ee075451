import { describe, expect, it } from 'vitest';
import { commission_tiers_max, commissionRuleRequest } from '../../shared/api/commission';
import { tierProblem } from '../../shared/commission/compute';
import { newId } from '../../shared/ids';
import { addTier, emptyRuleDraft, messagesOf, removeTier, ruleRequestOf, setTier, type RuleDraft } from '../../src/services/commission-form';
import { percentToBp } from '../../src/services/percent';

describe('commission rule form', () => {
  it.each([
    ['2', 200],
    ['2.5', 250],
    ['0.05', 5],
    ['100', 10_000],
    ['0', 0],
    ['2.555', null],
    ['-1', null],
    ['两', null],
    ['', null],
  ])('%s%% is %s basis points', (text, bp) => expect(percentToBp(text)).toBe(bp));

  it('builds a tiered percent rule for a role that the API schema accepts', () => {
    let d: RuleDraft = setTier(emptyRuleDraft, 0, { to: '10000', rate: '1' });
    d = addTier(d);
    expect(d.tiers[1]!.from).toBe('10000');
    d = setTier(d, 1, { rate: '2.5' });
    const built = ruleRequestOf(d);
    expect(built).toEqual({
      ok: true,
      request: { scope: 'role', role: 'assistant', kind: 'percent', tiers: [{ fromFen: 0, toFen: 1_000_000, rateBp: 100 }, { fromFen: 1_000_000, toFen: null, rateBp: 250 }] },
    });
    if (built.ok) {
      expect(commissionRuleRequest.safeParse(built.request).success).toBe(true);
      expect(tierProblem(built.request.kind, built.request.tiers)).toBeNull();
    }
  });

  it('builds a per-item SKU rule and asks for the target first', () => {
    const d: RuleDraft = { ...emptyRuleDraft, scope: 'sku', kind: 'per_item', tiers: [{ from: '0', to: '', rate: '', perItem: '0.5' }] };
    expect(ruleRequestOf(d)).toEqual({ ok: false, messages: { target: '请选择商品' } });
    const skuId = newId('sku');
    const built = ruleRequestOf({ ...d, target: { id: skuId, name: '王老吉' } });
    expect(built).toEqual({ ok: true, request: { scope: 'sku', skuId, kind: 'per_item', tiers: [{ fromFen: 0, toFen: null, perItemFen: 50 }] } });
    if (built.ok) expect(commissionRuleRequest.safeParse(built.request).success).toBe(true);
  });

  it('names the tier whose text is not a number', () => {
    const d = setTier(addTier(setTier(emptyRuleDraft, 0, { to: '100', rate: '1' })), 1, { rate: 'x' });
    const built = ruleRequestOf(d);
    expect(built.ok).toBe(false);
    if (!built.ok) expect(Object.keys(built.messages)).toEqual(['tier.1']);
  });

  it('keeps one tier at least and at most the limit', () => {
    expect(removeTier(emptyRuleDraft, 0).tiers).toHaveLength(1);
    let d = emptyRuleDraft;
    for (let i = 0; i < commission_tiers_max + 3; i++) d = addTier(d);
    expect(d.tiers).toHaveLength(commission_tiers_max);
  });

  it('puts each API message next to its field', () => {
    expect(messagesOf('x', [{ path: 'tiers', message: '阶梯重叠' }])).toEqual({ tiers: '阶梯重叠' });
    expect(messagesOf('x', [{ path: 'tiers.1.toFen', message: 'too small' }, { path: 'tiers.1.rateBp', message: 'too big' }])).toEqual({ 'tier.1': 'too small；too big' });
    expect(messagesOf('x', [{ path: 'scope', message: '按角色填 role' }])).toEqual({ target: '按角色填 role' });
    expect(messagesOf('找不到商品 sku_1', [])).toEqual({ form: '找不到商品 sku_1' });
  });
});

import { describe, expect, it } from 'vitest';
import { planTenders } from '../../shared/tenders';
import { chooseTenders, emptyTenderDraft } from '../../src/services/counter-tenders';

const totals = { cashTotalFen: 3750, nonCashTotalFen: 3758 };

describe('planTenders (the server and the counter apply the same rules)', () => {
  it.each([
    { name: 'cash with change', total: 3750, tenders: [{ method: 'cash' as const, amountFen: 5000 }], change: 1250 },
    { name: 'card exactly', total: 3758, tenders: [{ method: 'card' as const, amountFen: 3758, reference: 'R1' }], change: null },
    { name: 'card part plus cash', total: 3750, tenders: [{ method: 'card' as const, amountFen: 2000, reference: 'R1' }, { method: 'cash' as const, amountFen: 2000 }], change: 250 },
  ])('accepts $name', ({ total, tenders, change }) => {
    const plan = planTenders(total, tenders);
    expect(plan.ok && plan.changeFen).toBe(change);
  });

  it.each([
    { name: 'a card above the total', total: 100, tenders: [{ method: 'card' as const, amountFen: 101, reference: 'R' }], reason: '超过应收' },
    { name: 'a short cash part', total: 100, tenders: [{ method: 'ecny' as const, amountFen: 50, reference: 'R' }, { method: 'cash' as const, amountFen: 49 }], reason: '不足' },
    { name: 'cash after the card paid it all', total: 100, tenders: [{ method: 'card' as const, amountFen: 100, reference: 'R' }, { method: 'cash' as const, amountFen: 1 }], reason: '无需再收现金' },
    { name: 'nothing for a balance', total: 100, tenders: [{ method: 'card' as const, amountFen: 99, reference: 'R' }], reason: '还差' },
  ])('refuses $name in Chinese', ({ total, tenders, reason }) => {
    const plan = planTenders(total, tenders);
    expect(plan.ok ? '' : plan.reason).toContain(reason);
  });
});

describe('chooseTenders', () => {
  it('charges card alone at the total without 抹零 and asks for the reference first', () => {
    expect(chooseTenders({ ...emptyTenderDraft, mode: 'card' }, totals)).toEqual({ ok: false, reason: '请填写刷卡终端上的交易参考号' });
    const c = chooseTenders({ ...emptyTenderDraft, mode: 'card', reference: ' 123456 ' }, totals);
    expect(c).toMatchObject({ ok: true, totalFen: 3758, withCash: false, tenders: [{ method: 'card', amountFen: 3758, reference: '123456' }] });
  });

  it('splits e-CNY and cash with change, and an empty cash field is the exact rest', () => {
    const split = { ...emptyTenderDraft, mode: 'split' as const, partMethod: 'ecny' as const, partText: '20', reference: 'E1' };
    expect(chooseTenders({ ...split, receivedText: '20' }, totals)).toMatchObject({ ok: true, totalFen: 3750, plan: { changeFen: 250, cashReceivedFen: 2000 } });
    expect(chooseTenders(split, totals)).toMatchObject({ ok: true, plan: { changeFen: 0, cashReceivedFen: 1750 } });
    expect(chooseTenders({ ...split, partText: '40' }, totals)).toMatchObject({ ok: false });
  });

  it('keeps plain cash as before', () => {
    expect(chooseTenders({ ...emptyTenderDraft, receivedText: '30' }, totals)).toMatchObject({ ok: false });
    expect(chooseTenders({ ...emptyTenderDraft, receivedText: '50' }, totals)).toMatchObject({ ok: true, plan: { changeFen: 1250 } });
  });
});

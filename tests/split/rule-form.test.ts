import { describe, expect, it } from 'vitest';
import { blankReceiver, draftsOf, ruleRequestOf, withChannel, type ReceiverDraft } from '../../src/services/split-rule-form';
import { percentToBp } from '../../src/services/percent';
import { logCsv, subjectOf } from '../../src/services/split-log';
import { newId } from '../../shared/ids';

const draft = (patch: Partial<ReceiverDraft>): ReceiverDraft => ({ ...blankReceiver(), name: '万达广场', account: '1900000201', share: '20', ...patch });
const build = (receivers: ReceiverDraft[]) => ruleRequestOf({ clientRuleId: newId('splitRule'), storeId: null, effectiveFrom: '2026-11-24', note: '', receivers });

describe('the split rule form on the phone', () => {
  it.each([
    ['20', 2000],
    ['12.5', 1250],
    ['12.50', 1250],
    ['0.01', 1],
    ['0', 0],
    ['100', 10_000],
    ['100.01', null],
    ['12.345', null],
    ['', null],
    ['二十', null],
    ['-5', null],
  ])('reads the percentage %j as %j basis points', (text, bp) => {
    expect(percentToBp(text)).toBe(bp);
  });

  it('turns typed shares into basis points and fen, and a blank description into the kind', () => {
    const r = build([draft({}), draft({ name: '品牌方', kind: 'brand', account: '1900000202', shareKind: 'fixed', share: '1.5' })]);
    expect(r.ok && r.request.receivers).toEqual([
      { name: '万达广场', kind: 'landlord', channel: 'wechat', accountType: 'MERCHANT_ID', account: '1900000201', description: '房东/商场', bp: 2000 },
      { name: '品牌方', kind: 'brand', channel: 'wechat', accountType: 'MERCHANT_ID', account: '1900000202', description: '品牌方', fixedFen: 150 },
    ]);
  });

  it.each([
    [draft({ share: '0' }), '万达广场：比例须为 0.01 到 100 之间、最多两位小数的百分数'],
    [draft({ share: '30.001' }), '万达广场：比例须为 0.01 到 100 之间、最多两位小数的百分数'],
    [draft({ shareKind: 'fixed', share: '0.00' }), '万达广场：固定金额至少 0.01 元'],
    [draft({ shareKind: 'fixed', share: '1.234' }), '万达广场：固定金额须为最多两位小数的元数'],
    [draft({ name: ' ' }), '第 1 个接收方：请填写名称'],
    [draft({ account: '' }), '万达广场：请填写收款账号'],
  ])('names what to fix (%#)', (d, message) => {
    expect(build([d])).toEqual({ ok: false, message });
  });

  it('refuses the same account twice, naming it', () => {
    const r = build([draft({}), draft({ name: '万达二号' })]);
    expect(r).toEqual({ ok: false, message: '万达二号：接收方 1900000201 重复' });
  });

  it('keeps the account type valid when the channel changes, and starts a new version from a saved one', () => {
    expect(withChannel(draft({}), 'alipay').accountType).toBe('loginName');
    expect(withChannel(draft({ accountType: 'PERSONAL_OPENID' }), 'wechat').accountType).toBe('PERSONAL_OPENID');
    const saved = { id: 'spr_1', storeId: null, version: 2, effectiveFrom: '2026-11-24', note: '', createdAt: '', receivers: [
      { receiverId: 'srv_1', name: '万达广场', kind: 'landlord', channel: 'wechat', accountType: 'MERCHANT_ID', account: '1900000201', description: '租金', bp: 1250, fixedFen: null },
      { receiverId: 'srv_2', name: '品牌方', kind: 'brand', channel: 'alipay', accountType: 'loginName', account: 'brand@example.com', description: '品牌', bp: null, fixedFen: 150 },
    ] };
    const drafts = draftsOf(saved);
    expect(drafts.map((d) => [d.shareKind, d.share])).toEqual([['percent', '12.5'], ['fixed', '1.50']]);
    const again = build(drafts);
    expect(again.ok && again.request.receivers.map((r) => [r.bp, r.fixedFen, r.description])).toEqual([[1250, undefined, '租金'], [undefined, 150, '品牌']]);
  });
});

describe('the split log on the phone', () => {
  it('exports Beijing wall time and exact yuan', () => {
    const csv = logCsv([{ at: '2026-11-23T18:37:15.123Z', event: 'result', paymentId: 'pay_1', receiverName: '万达广场', receiverAccount: '1900000201', amountFen: 38, status: 'success', detail: {} }]);
    expect(csv.split('\r\n')[1]).toBe('2026-11-24 02:37:15,pay_1,分账结果,万达广场,1900000201,0.38,success,{}');
  });

  it('opens the log of a payment or of a receiver from the page query', () => {
    expect(subjectOf({ paymentId: 'pay_1' })).toEqual({ kind: 'payment', paymentId: 'pay_1' });
    expect(subjectOf({ receiverId: 'srv_1', name: '万达' })).toEqual({ kind: 'receiver', receiverId: 'srv_1', name: '万达' });
    expect(subjectOf({})).toBeNull();
  });
});

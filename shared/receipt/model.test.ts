import { describe, expect, it } from 'vitest';
import { receiptModel, type Receipt } from './model.js';
import { demoReceipt } from './receipt.fixture.js';

const firstIssuePath = (input: unknown) => {
  const result = receiptModel.safeParse(input);
  return result.success ? null : result.error.issues.map((i) => i.path.join('.'));
};

const withLine0 = (patch: Partial<Receipt['lines'][number]>): Receipt => ({
  ...demoReceipt,
  lines: demoReceipt.lines.map((l, i) => (i === 0 ? { ...l, ...patch } : l)),
});

describe('receipt model', () => {
  it('accepts the demo sale', () => {
    expect(receiptModel.safeParse(demoReceipt).success).toBe(true);
  });

  it.each<[string, Receipt, string]>([
    ['a line total that is not unit × qty', withLine0({ listFen: 11801 }), 'lines.0.listFen'],
    ['a net amount that ignores its adjustment', withLine0({ netFen: 11800 }), 'lines.0.netFen'],
    ['a subtotal one fen off', { ...demoReceipt, subtotalFen: 46201, discountFen: 4801 }, 'subtotalFen'],
    ['a total that ignores 抹零', { ...demoReceipt, totalFen: 41450, discountFen: 4750 }, 'totalFen'],
    ['a discount that does not close the gap', { ...demoReceipt, discountFen: 4799 }, 'discountFen'],
    ['tenders short of the total', { ...demoReceipt, tenders: [{ label: '微信支付', fen: 41399 }] }, 'tenders'],
    ['cash received without change', { ...demoReceipt, changeFen: undefined }, 'changeFen'],
    ['change as large as the cash received', { ...demoReceipt, changeFen: 12000 }, 'changeFen'],
  ])('rejects %s', (_what, receipt, path) => {
    expect(firstIssuePath(receipt)).toContain(path);
  });

  it.each<[string, unknown, string]>([
    ['an ESC in a product name', withLine0({ name: 'T恤\x1bi' }), 'lines.0.name'],
    ['a line break in the store name', { ...demoReceipt, storeName: '柜台\n示范店' }, 'storeName'],
    ['an unmasked phone number', { ...demoReceipt, member: { ...demoReceipt.member, phoneMasked: '13800000001' } }, 'member.phoneMasked'],
    ['a receipt number without its sequence', { ...demoReceipt, receiptNo: 'DEMO01-20261123' }, 'receiptNo'],
    ['a paid time without an offset', { ...demoReceipt, paidAt: '2026-11-23T14:05:09' }, 'paidAt'],
    ['a Chinese QR payload', { ...demoReceipt, qr: 'https://例子.cn/o/1' }, 'qr'],
    ['a QR payload of 201 bytes', { ...demoReceipt, qr: 'x'.repeat(201) }, 'qr'],
    ['a fractional fen', withLine0({ unitFen: 5900.5 }), 'lines.0.unitFen'],
  ])('rejects %s', (_what, receipt, path) => {
    expect(firstIssuePath(receipt)).toContain(path);
  });

  it('allows line breaks in the footer and a QR payload of exactly 200 bytes', () => {
    expect(receiptModel.safeParse({ ...demoReceipt, footer: '一\n二', qr: 'x'.repeat(200) }).success).toBe(true);
  });
});

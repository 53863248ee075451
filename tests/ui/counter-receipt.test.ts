import { describe, expect, it } from 'vitest';
import { priceOrder } from '../../shared/pricing/index';
import { receiptModel } from '../../shared/receipt/model';
import { layoutReceipt, renderPlainText } from '../../shared/receipt/layout';
import { addToBill, emptyBill, pricingInputFor, ruleNamesOf } from '../../src/services/counter-cart';
import { offlineReceipt } from '../../src/services/counter-receipt';
import { base64ToBytes, bytesToHex, chunkBytes } from '../../src/services/printer';

const line = (n: number, retailPriceFen: number, memberPriceFen = retailPriceFen) => ({
  skuId: `sku_${n}`,
  productId: `prd_${n}`,
  categoryId: 'cat_1',
  name: `商品${n}`,
  spec: '',
  unit: '件',
  barcode: `690000000000${n}`,
  retailPriceFen,
  memberPriceFen,
});

describe('offline receipt', () => {
  it('balances like a server receipt and lays out at 32 columns', () => {
    let bill = addToBill(emptyBill, line(1, 5900, 4900), 2);
    bill = addToBill(bill, line(2, 1250));
    const context = { bundles: [], thresholds: [{ id: 'thr_1', name: '满100减10', minSpendFen: 10000, offFen: 1000, repeat: false }], cashRounding: 'yuan' as const, redeemPointsPerFen: 100, redeemCapBp: 0, earnPointsPerYuan: 1 };
    const member = { id: 'mbr_01JD3Z8Q4W5E6R7T8Y9V0A1B2C', name: '李女士', phoneMasked: '138****0001', level: '金卡', points: 0 };
    const result = priceOrder(pricingInputFor(bill, context, { member, pointsToRedeem: 0, cashTender: true }));
    const receipt = offlineReceipt({
      bill,
      result,
      ruleNames: ruleNamesOf(context),
      storeName: '柜台示范店',
      storeAddress: '上海市徐汇区',
      assistantName: '小王',
      member,
      deviceReceiptNo: 'GTABCDEFGH-000001',
      orderId: 'ord_01JD3Z8Q4W5E6R7T8Y9V0A1B2C',
      billedAt: '2026-11-23T06:05:09.000Z',
      cashReceivedFen: 12000,
    });
    // The model's receipt number pattern is the server's; everything else must hold.
    const parsed = receiptModel.safeParse({ ...receipt, receiptNo: 'DEMO01-20261123-0001' });
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    // 2 × 49 + 12.50 = 110.50, 满100减10 → 100.50, 抹零 to the yuan → 100.
    expect(receipt.totalFen).toBe(10000);
    expect(receipt.changeFen).toBe(2000);
    const text = renderPlainText(layoutReceipt(receipt), 32);
    expect(text.every((l) => l.length <= 32)).toBe(true);
    expect(text.join('\n')).toContain('离线单');
    expect(text.join('\n')).toContain('GTABCDEFGH-000001');
  });
});

describe('printer bytes', () => {
  it('decodes base64 and splits into 20-byte writes', () => {
    const bytes = base64ToBytes(Buffer.from(Array.from({ length: 45 }, (_, i) => i)).toString('base64'));
    expect(Array.from(bytes)).toEqual(Array.from({ length: 45 }, (_, i) => i));
    expect(chunkBytes(bytes).map((c) => c.length)).toEqual([20, 20, 5]);
    expect(bytesToHex(new Uint8Array([0x1b, 0x40, 0x0a]))).toBe('1b400a');
    expect(base64ToBytes('')).toHaveLength(0);
    expect(Array.from(base64ToBytes('AQ=='))).toEqual([1]);
  });
});

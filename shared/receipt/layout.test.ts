import { describe, expect, it } from 'vitest';
import { fen_amount_max } from '../money.js';
import {
  displayWidth,
  formatShanghaiTime,
  layoutReceipt,
  lineWidth,
  previewItems,
  storeNameLines,
  receipt_columns_58mm,
  receipt_columns_80mm,
  receipt_columns_min,
  renderPlainText,
  wrapToWidth,
  yuan,
  type ReceiptItem,
  type ReceiptTextLine,
} from './layout.js';
import { demoReceipt, singleLineReceipt } from './receipt.fixture.js';

const textLines = (items: ReceiptItem[]) => items.filter((i): i is ReceiptTextLine => i.kind === 'text');

describe('receipt layout', () => {
  it('lays out a realistic sale for 58 mm paper', () => {
    const lines = renderPlainText(layoutReceipt(demoReceipt, { columns: 32 }), 32);
    expect(lines.map((l) => `|${l}|`).join('\n')).toMatchInlineSnapshot(`
      "|      柜  台  示  范  店        |
      |  上海市徐汇区漕溪北路88号1楼   |
      |--------------------------------|
      |单号        DEMO01-20261123-0042|
      |时间         2026-11-23 14:05:09|
      |收银员                    王小明|
      |会员                 李女士 金卡|
      |手机                 138****0001|
      |--------------------------------|
      |纯棉圆领短袖T恤 白色 / M        |
      |  2 x ￥59.00           ￥118.00|
      |  会员价                -￥10.00|
      |加厚保暖羊毛混纺高领毛衣（男女同|
      |款宽松版） 燕麦色 / XL          |
      |  1 x ￥299.00          ￥299.00|
      |Nike Everyday Cushioned 运动袜  |
      |  3 x ￥15.00            ￥45.00|
      |  第二件半价             -￥7.50|
      |--------------------------------|
      |商品合计(6件)           ￥462.00|
      |  满300减30             -￥30.00|
      |  抹零                   -￥0.50|
      |优惠合计                -￥48.00|
      |合  计          ￥  4 1 4 . 0 0 |
      |--------------------------------|
      |微信支付                ￥300.00|
      |现金                    ￥114.00|
      |实收现金                ￥120.00|
      |找零                      ￥6.00|
      |--------------------------------|
      |本次积分                    +414|
      |积分余额                    2680|
      |--------------------------------|
      |       谢谢惠顾，欢迎再来       |
      | 7天内凭小票退换 · 扫码开电子  |
      |              发票              |
      |[QR]                            |
      |https://guitai.example/o/ord_01J|
      |D3Z8Q4W5E6R7T8Y9V0A1B2C         |"
    `);
  });

  it.each([receipt_columns_min, receipt_columns_58mm, receipt_columns_80mm])(
    'keeps every line within %i columns, and the plain rendering exactly that wide',
    (columns) => {
      const items = layoutReceipt(demoReceipt, { columns });
      for (const line of textLines(items)) expect(lineWidth(line), line.text).toBeLessThanOrEqual(columns);
      for (const l of renderPlainText(items, columns)) expect(displayWidth(l), l).toBe(columns);
    },
  );

  it('prints the QR once, after the footer, with the payload unchanged', () => {
    const items = layoutReceipt(demoReceipt, { columns: 32 });
    const qrs = items.filter((i) => i.kind === 'qr');
    expect(qrs).toEqual([{ kind: 'qr', qr: demoReceipt.qr }]);
    expect(layoutReceipt({ ...demoReceipt, qr: undefined }).some((i) => i.kind === 'qr')).toBe(false);
  });

  it('marks an offline sale and shows the device receipt number', () => {
    const texts = textLines(layoutReceipt({ ...demoReceipt, offline: { deviceReceiptNo: 'POS1-000123' } })).map(
      (l) => l.text,
    );
    expect(texts).toContain('离线单');
    expect(texts).toContain(`设备单号${' '.repeat(32 - 8 - 11)}POS1-000123`);
    expect(textLines(layoutReceipt(demoReceipt)).map((l) => l.text)).not.toContain('离线单');
  });

  it('refuses a column count outside the supported range', () => {
    expect(() => layoutReceipt(demoReceipt, { columns: receipt_columns_min - 1 })).toThrow(RangeError);
    expect(() => layoutReceipt(demoReceipt, { columns: 32.5 })).toThrow(RangeError);
  });
});

describe('what the counter found wrong in the preview (issue #14)', () => {
  const longName = '柜台示范店（人民路店）';

  it('never leaves a closing bracket alone at the start of a line', () => {
    for (const columns of [receipt_columns_min, receipt_columns_58mm, receipt_columns_80mm]) {
      for (const width of [columns, Math.floor(columns / 2)]) {
        for (const line of wrapToWidth(longName, width).slice(1)) expect(line.startsWith('）'), `${width}: ${line}`).toBe(false);
      }
    }
    expect(wrapToWidth('桂台便利店（人民路店）', 16)).toEqual(['桂台便利店（人民', '路店）']);
    expect(wrapToWidth('一二三四五六七）', 14)).toEqual(['一二三四五六', '七）']);
  });

  it('prints a store name too long for double size bold at normal size, and a short one double', () => {
    expect(storeNameLines(longName, 32)).toEqual([{ kind: 'text', text: longName, align: 'center', bold: true }]);
    expect(storeNameLines('柜台示范店', 32)).toEqual([{ kind: 'text', text: '柜台示范店', align: 'center', bold: true, double: true }]);
    const lines = storeNameLines('桂台连锁便利超市（上海市徐汇区人民路旗舰店）', 32);
    expect(lines.length).toBe(2);
    for (const l of lines) expect(lineWidth(l)).toBeLessThanOrEqual(32);
    expect(lines.slice(1).every((l) => !l.text.startsWith('）'))).toBe(true);
  });

  it('keeps a last line of one character from sitting alone under centred text', () => {
    expect(wrapToWidth('7天内凭小票退换 · 扫码开电子发票', 32, { balanceTail: true })).toEqual(['7天内凭小票退换 · 扫码开电子', '发票']);
    expect(wrapToWidth('7天内凭小票退换 · 扫码开电子发票', 32)).toEqual(['7天内凭小票退换 · 扫码开电子发', '票']);
  });

  it('previews the double-size total as one word in its half of the line, not letter-spaced', () => {
    const items = previewItems(layoutReceipt(demoReceipt, { columns: 32 }), 32);
    const total = items.find((i) => i.kind === 'text' && i.text.startsWith('合计'));
    expect(total).toEqual({ kind: 'text', text: '合计    ￥414.00', bold: true, double: true });
    for (const i of items) if (i.kind === 'text') expect(displayWidth(i.text)).toBe(i.double ? 16 : 32);
    expect(items.some((i) => i.kind === 'text' && i.text.includes('[QR]'))).toBe(false);
    expect(items.filter((i) => i.kind === 'qr')).toEqual([{ kind: 'qr', qr: demoReceipt.qr }]);
  });

  it('prints the receipt number once and the raw order id not at all; the QR carries the order', () => {
    const fallback = { ...demoReceipt, qr: `ORDER:${demoReceipt.orderId}` };
    const texts = textLines(layoutReceipt(fallback)).map((l) => l.text);
    expect(texts.filter((t) => t.includes(demoReceipt.receiptNo))).toHaveLength(1);
    expect(texts.some((t) => t.includes(demoReceipt.orderId))).toBe(false);
    const offline = { ...demoReceipt, receiptNo: 'POS1-000123', offline: { deviceReceiptNo: 'POS1-000123' } };
    expect(textLines(layoutReceipt(offline)).filter((l) => l.text.includes('POS1-000123'))).toHaveLength(1);
  });
});

describe('display width and wrapping', () => {
  it.each([
    ['abc 123', 7],
    ['合计', 4],
    ['，。！（）', 10], // full-width punctuation
    ['ＡＢ１', 6], // full-width forms
    ['￥1.00', 6],
    ['×·é', 6], // two-byte GBK codes print in wide cells
    ['😀', 2],
    ['', 0],
  ])('%j is %i columns', (text, width) => {
    expect(displayWidth(text)).toBe(width);
  });

  it('wraps a long Chinese name at character boundaries, filling each line', () => {
    const name = '加厚保暖羊毛混纺高领毛衣男女同款宽松版';
    expect(wrapToWidth(name, 32)).toEqual(['加厚保暖羊毛混纺高领毛衣男女同款', '宽松版']);
    // An odd width cannot hold half a character: each line stops one column short.
    const odd = wrapToWidth(name, 7);
    expect(odd.every((l) => displayWidth(l) === 6 || l === odd.at(-1))).toBe(true);
    expect(odd.join('')).toBe(name);
  });

  it('moves an ASCII word to the next line whole and drops the space it broke at', () => {
    expect(wrapToWidth('Nike Everyday Cushioned 运动袜', 16)).toEqual(['Nike Everyday', 'Cushioned 运动袜']);
    expect(wrapToWidth('羊毛衫 Cashmere', 10)).toEqual(['羊毛衫', 'Cashmere']);
  });

  it('breaks an ASCII run with no space anywhere, and never splits a surrogate pair', () => {
    expect(wrapToWidth('ABCDEFGHIJ', 4)).toEqual(['ABCD', 'EFGH', 'IJ']);
    expect(wrapToWidth('a😀😀', 4)).toEqual(['a😀', '😀']);
  });

  it('refuses a width that cannot hold a Chinese character', () => {
    expect(() => wrapToWidth('合计', 1)).toThrow(RangeError);
  });
});

describe('amounts', () => {
  it.each([
    [0, '￥0.00'],
    [1, '￥0.01'],
    [-1, '-￥0.01'],
    [123456, '￥1234.56'],
    [fen_amount_max, '￥100000000000.00'],
    [-fen_amount_max, '-￥100000000000.00'],
  ])('%i fen prints as %s', (fen, shown) => {
    expect(yuan(fen)).toBe(shown);
  });

  it.each([
    [0, 1], // a free gift
    [1, 1],
    [100_000_000_00, 1], // 1 亿 yuan, the double-size total no longer fits half a line
    [fen_amount_max, 1],
  ])('lays out a sale of %i fen within 32 columns, right-aligning the total', (unitFen, qty) => {
    const receipt = singleLineReceipt({ name: '测试商品', qty, unitFen });
    const items = textLines(layoutReceipt(receipt, { columns: 32 }));
    for (const line of items) expect(lineWidth(line)).toBeLessThanOrEqual(32);
    const total = items.find((l) => l.text.startsWith('合计'));
    expect(total?.bold).toBe(true);
    expect(total?.text.endsWith(yuan(unitFen))).toBe(true);
    expect(lineWidth(total!)).toBe(32);
    expect(total?.double ?? false).toBe(displayWidth(yuan(unitFen)) <= 16 - 5);
  });

  it('shows the quantity line and an amount too wide to share it on a line of its own', () => {
    const receipt = singleLineReceipt({ name: '金条', qty: 99_999, unitFen: 100_000_000 });
    const texts = textLines(layoutReceipt(receipt, { columns: 24 })).map((l) => l.text);
    const at = texts.indexOf('  99999 x ￥1000000.00');
    expect(at).toBeGreaterThan(0);
    expect(texts[at + 1]).toBe('￥99999000000.00');
  });
});

describe('time', () => {
  it.each([
    ['2026-11-23T06:05:09Z', '2026-11-23 14:05:09'],
    ['2026-11-23T16:30:00Z', '2026-11-24 00:30:00'], // past midnight in Shanghai, still the 23rd in UTC
    ['2026-11-23T14:05:09+08:00', '2026-11-23 14:05:09'],
    ['2026-12-31T23:59:59.999-05:00', '2027-01-01 12:59:59'],
  ])('%s prints as %s in Asia/Shanghai', (iso, shown) => {
    expect(formatShanghaiTime(iso)).toBe(shown);
  });
});

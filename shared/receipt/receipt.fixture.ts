import { receiptModel, type Receipt, type ReceiptLine } from './model.js';

/** A realistic clothing-shop sale, parsed so the fixture itself obeys the model. */
export const demoReceipt: Receipt = receiptModel.parse({
  storeName: '柜台示范店',
  storeAddress: '上海市徐汇区漕溪北路88号1楼',
  receiptNo: 'DEMO01-20261123-0042',
  orderId: 'ord_01JD3Z8Q4W5E6R7T8Y9V0A1B2C',
  paidAt: '2026-11-23T06:05:09Z',
  assistantName: '王小明',
  member: { name: '李女士', phoneMasked: '138****0001', level: '金卡' },
  lines: [
    {
      name: '纯棉圆领短袖T恤',
      spec: '白色 / M',
      qty: 2,
      unitFen: 5900,
      listFen: 11800,
      netFen: 10800,
      adjustments: [{ label: '会员价', fen: -1000 }],
    },
    {
      name: '加厚保暖羊毛混纺高领毛衣（男女同款宽松版）',
      spec: '燕麦色 / XL',
      qty: 1,
      unitFen: 29900,
      listFen: 29900,
      netFen: 29900,
      adjustments: [],
    },
    {
      name: 'Nike Everyday Cushioned 运动袜',
      spec: '',
      qty: 3,
      unitFen: 1500,
      listFen: 4500,
      netFen: 3750,
      adjustments: [{ label: '第二件半价', fen: -750 }],
    },
  ],
  orderAdjustments: [
    { label: '满300减30', fen: -3000 },
    { label: '抹零', fen: -50 },
  ],
  subtotalFen: 46200,
  discountFen: 4800,
  totalFen: 41400,
  tenders: [
    { label: '微信支付', fen: 30000 },
    { label: '现金', fen: 11400 },
  ],
  cashReceivedFen: 12000,
  changeFen: 600,
  pointsEarned: 414,
  pointsBalance: 2680,
  footer: '谢谢惠顾，欢迎再来\n7天内凭小票退换 · 扫码开电子发票',
  qr: 'https://guitai.example/o/ord_01JD3Z8Q4W5E6R7T8Y9V0A1B2C',
});

/** A one-line receipt whose totals follow from the line, paid in one tender (none at zero). */
export function singleLineReceipt(line: Pick<ReceiptLine, 'name' | 'qty' | 'unitFen'>, overrides: Partial<Receipt> = {}): Receipt {
  const listFen = line.unitFen * line.qty;
  return receiptModel.parse({
    ...demoReceipt,
    member: undefined,
    lines: [{ ...line, spec: '', listFen, netFen: listFen, adjustments: [] }],
    orderAdjustments: [],
    subtotalFen: listFen,
    discountFen: 0,
    totalFen: listFen,
    tenders: listFen > 0 ? [{ label: '微信支付', fen: listFen }] : [],
    cashReceivedFen: undefined,
    changeFen: undefined,
    pointsEarned: undefined,
    pointsBalance: undefined,
    ...overrides,
  });
}

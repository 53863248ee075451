import { z } from 'zod';
import { fen_amount_max } from '../money.js';
import { idOf, name_length_max } from '../api/common.js';

/**
 * One receipt (电子小票), as the order service hands it to the printer and to
 * the receipt page. Amounts are integer fen; every total is checked against
 * its parts, so a receipt that parses is one whose arithmetic a shopper can
 * redo with a pencil.
 */

export const receipt_address_length_max = 128;
export const receipt_label_length_max = 32;
export const receipt_spec_length_max = 32;
export const receipt_footer_length_max = 256;
export const receipt_lines_max = 500;
export const receipt_adjustments_max = 20;
export const receipt_tenders_max = 8;
export const receipt_qty_max = 99_999;
/**
 * Version 10 at error correction M holds 213 bytes and is 57 modules wide; at
 * the default 6 dots a module that is 342 dots, inside the 384 dots a 58 mm
 * head prints. A longer payload would need a version too wide for the paper.
 */
export const qr_payload_bytes_max = 200;

// Control characters are ESC/POS commands once they reach the printer, so no
// text field may carry one; a footer may carry line breaks only. The ranges
// are spelled out because older mini-program engines lack \p{…} in patterns.
const receiptText = (max: number) =>
  z
    .string()
    .max(max)
    // eslint-disable-next-line no-control-regex -- matching control characters is the point: a printer would obey them.
    .regex(/^[^\x00-\x1f\x7f-\x9f]*$/, 'must not contain control characters');

const footerText = z
  .string()
  .max(receipt_footer_length_max)
  // eslint-disable-next-line no-control-regex -- matching control characters is the point: a printer would obey them.
  .regex(/^[^\x00-\x09\x0b-\x1f\x7f-\x9f]*$/, 'must not contain control characters other than line breaks');

const amountFen = z.number().int().min(-fen_amount_max).max(fen_amount_max);

export const receiptAdjustment = z.object({
  label: receiptText(receipt_label_length_max).min(1),
  /** Signed change to the amount: a discount is negative. */
  fen: amountFen,
});
export type ReceiptAdjustment = z.infer<typeof receiptAdjustment>;

export const receiptLine = z.object({
  name: receiptText(name_length_max).min(1),
  /** Variant attributes ready to print, such as "白色 / M"; empty for a single-SKU product. */
  spec: receiptText(receipt_spec_length_max),
  qty: z.number().int().min(1).max(receipt_qty_max),
  unitFen: amountFen.min(0),
  /** unitFen × qty, before any adjustment. */
  listFen: amountFen.min(0),
  /** listFen plus the adjustments. */
  netFen: amountFen,
  adjustments: z.array(receiptAdjustment).max(receipt_adjustments_max),
});
export type ReceiptLine = z.infer<typeof receiptLine>;

export const receiptTender = z.object({
  label: receiptText(receipt_label_length_max).min(1),
  fen: amountFen.min(1),
});
export type ReceiptTender = z.infer<typeof receiptTender>;

export const receiptMember = z.object({
  name: receiptText(name_length_max).min(1),
  /** Only the masked form ever reaches a receipt: 138****0001. */
  phoneMasked: z.string().regex(/^1\d{2}\*{4}\d{4}$/, 'must be a masked mainland mobile number'),
  level: receiptText(receipt_label_length_max),
});
export type ReceiptMember = z.infer<typeof receiptMember>;

export const receiptModel = z
  .object({
    storeName: receiptText(name_length_max).min(1),
    storeAddress: receiptText(receipt_address_length_max),
    /** Per store per day: store code, Shanghai date, sequence — DEMO01-20261123-0042. */
    receiptNo: z.string().regex(/^[A-Z0-9]{4,16}-\d{8}-\d{4,}$/, 'must look like DEMO01-20261123-0042'),
    orderId: idOf('ord'),
    /** When the sale was paid; printed in Asia/Shanghai whatever the offset given. */
    paidAt: z.iso.datetime({ offset: true }),
    assistantName: receiptText(name_length_max).min(1),
    /** A self-service order's 取货码 and the table it was ordered from, printed so the counter can match the goods. */
    pickupCode: z.string().regex(/^[0-9]{4,8}$/).optional(),
    tableNo: z.string().regex(/^[A-Za-z0-9_-]{1,16}$/).optional(),
    member: receiptMember.optional(),
    lines: z.array(receiptLine).min(1).max(receipt_lines_max),
    orderAdjustments: z.array(receiptAdjustment).max(receipt_adjustments_max),
    /** Sum of listFen: the goods at list price. */
    subtotalFen: amountFen.min(0),
    /** subtotalFen − totalFen: everything taken off, by line and by order. */
    discountFen: amountFen,
    totalFen: amountFen.min(0),
    tenders: z.array(receiptTender).max(receipt_tenders_max),
    cashReceivedFen: amountFen.min(1).optional(),
    changeFen: amountFen.min(0).optional(),
    pointsEarned: z.number().int().min(0).optional(),
    pointsBalance: z.number().int().min(0).optional(),
    /** Present when the sale was billed on the device without the server; the device numbered it. */
    offline: z.object({ deviceReceiptNo: z.string().regex(/^[A-Za-z0-9-]{1,32}$/) }).optional(),
    /** The store's own line under its name and address (a hotline, an account), when it has one. */
    header: receiptText(receipt_footer_length_max).optional(),
    footer: footerText,
    /** Printed as a QR code, such as the order URL for 电子发票 and 售后. */
    qr: z
      .string()
      .min(1)
      .max(qr_payload_bytes_max)
      .regex(/^[\x20-\x7e]+$/, 'must be printable ASCII')
      .optional(),
  })
  .superRefine((r, ctx) => {
    const sum = (xs: readonly { fen: number }[]) => xs.reduce((acc, x) => acc + x.fen, 0);
    const mismatch = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message });

    r.lines.forEach((line, i) => {
      if (line.listFen !== line.unitFen * line.qty) mismatch(['lines', i, 'listFen'], 'must equal unitFen × qty');
      if (line.netFen !== line.listFen + sum(line.adjustments)) {
        mismatch(['lines', i, 'netFen'], 'must equal listFen plus the adjustments');
      }
    });
    const listTotal = r.lines.reduce((acc, l) => acc + l.listFen, 0);
    const netTotal = r.lines.reduce((acc, l) => acc + l.netFen, 0);
    if (r.subtotalFen !== listTotal) mismatch(['subtotalFen'], 'must equal the sum of listFen');
    if (r.totalFen !== netTotal + sum(r.orderAdjustments)) {
      mismatch(['totalFen'], 'must equal the sum of netFen plus the order adjustments');
    }
    if (r.discountFen !== r.subtotalFen - r.totalFen) mismatch(['discountFen'], 'must equal subtotalFen − totalFen');
    if (sum(r.tenders) !== r.totalFen) mismatch(['tenders'], 'must add up to totalFen');

    // The model does not know which tender is cash, so it checks what it can:
    // both cash fields or neither, and the cash kept is a real part of the total.
    if ((r.cashReceivedFen === undefined) !== (r.changeFen === undefined)) {
      mismatch(['changeFen'], 'cashReceivedFen and changeFen come together');
    } else if (r.cashReceivedFen !== undefined && r.changeFen !== undefined) {
      const kept = r.cashReceivedFen - r.changeFen;
      if (kept <= 0 || kept > r.totalFen) mismatch(['changeFen'], 'cash kept must be more than 0 and at most totalFen');
    }
  });

export type Receipt = z.infer<typeof receiptModel>;

import { monotonicFactory, type PRNG } from 'ulid';
import { mulberry32 } from './prng.js';

/**
 * Ids are prefixed ULIDs: sortable by creation time, safe to make on a client
 * that may retry (offline billing), and readable in logs (`ord_01J…`).
 */
export const idPrefixes = {
  merchant: 'mch',
  store: 'sto',
  staff: 'stf',
  member: 'mbr',
  category: 'cat',
  product: 'prd',
  photo: 'pho',
  sku: 'sku',
  invite: 'inv',
  movement: 'mov',
  points: 'pts',
  return: 'ret',
  journal: 'jnl',
  reservation: 'rsv',
  order: 'ord',
  tender: 'tnd',
  request: 'req',
  promotion: 'prm',
  payment: 'pay',
  refund: 'rfd',
  alert: 'alr',
  supplier: 'sup',
  purchaseOrder: 'pco',
  purchaseReceipt: 'grn',
  purchaseReturn: 'prt',
  supplierPayment: 'spy',
  payable: 'apb',
  transfer: 'trf',
  stocktake: 'stk',
  batch: 'bat',
  tradeCustomer: 'tcu',
  creditApproval: 'cap',
  receivable: 'ivc',
  customerReceipt: 'rcp',
  settlement: 'stl',
  commissionRule: 'cmr',
  commissionStatement: 'cms',
  splitRule: 'spr',
  splitReceiver: 'srv',
  split: 'spl',
  reconcileBill: 'rbl',
  reconcileRun: 'rrn',
  orderCancel: 'ocn',
  reconcileDownload: 'rdl',
  shift: 'sft',
  cashMove: 'csm',
  discountApproval: 'dap',
  handover: 'hov',
  catalogImport: 'cim',
  priceChange: 'pch',
  // Member messages (#17, messages stream).
  memberMessage: 'mmg',
  consentReport: 'mcr',
  // members-identity stream (#17)
  merge: 'mrg',
  phoneBinding: 'phb',
  // Coupons (#17).
  couponTemplate: 'cpt',
  coupon: 'cpn',
  couponEvent: 'cpe',
  // Stored value (#17).
  storedValuePlan: 'svp',
  storedValueTopUp: 'svt',
  storedValueRefund: 'svr',
  storedValueMovement: 'svm',
  // Points mall and referral (#17).
  mallGift: 'gft',
  mallRedemption: 'mrd',
  referral: 'ref',
} as const;

export type IdKind = keyof typeof idPrefixes;

type CryptoLike = { getRandomValues?: (array: Uint8Array) => Uint8Array };

/**
 * Node and browsers have crypto.getRandomValues; the WeChat and Alipay
 * engines do not, so there the random part comes from a small PRNG seeded
 * from Math.random and the clock. Ids need to be unique, not secret: the
 * millisecond timestamp plus 80 pseudo-random bits is ample for one device.
 */
export function pickPrng(source: CryptoLike | undefined = (globalThis as { crypto?: CryptoLike }).crypto): PRNG {
  const getRandomValues = source?.getRandomValues;
  if (typeof getRandomValues === 'function') {
    const buffer = new Uint8Array(1);
    return () => {
      getRandomValues.call(source, buffer);
      return (buffer[0] ?? 0) / 256;
    };
  }
  return mulberry32((Math.floor(Math.random() * 2 ** 32) ^ Date.now()) >>> 0);
}

// Made on first use, not at import, so merely importing this module never touches crypto.
// Monotonic within a process, so ids made in the same millisecond still sort in creation order.
let ulid: ReturnType<typeof monotonicFactory> | undefined;

export function newId(kind: IdKind, now: number = Date.now()): string {
  ulid ??= monotonicFactory(pickPrng());
  return `${idPrefixes[kind]}_${ulid(now)}`;
}

const ulidPattern = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export function isId(kind: IdKind, value: string): boolean {
  const prefix = `${idPrefixes[kind]}_`;
  return value.startsWith(prefix) && ulidPattern.test(value.slice(prefix.length));
}

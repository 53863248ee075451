import Taro from '@tarojs/taro';
import { ApiError } from '../../services/errors';
import { showError, sign_in_page } from '../../services/api';
import { getSession } from '../../services/session';
import type { StaffSession } from '../../../shared/api/identity';
import { formatFen, yuanToFen } from '../../../shared/money';

/** The API's reasons by field path (`store.phone`), to show each next to its field. */
export type FieldErrors = Record<string, string>;

/**
 * The field reasons of a failed form submission; a failure that names no
 * field (a conflict, the network) is shown as a toast instead, since no box
 * can carry it.
 */
export function formErrors(error: unknown): FieldErrors {
  const fields = fieldErrorsOf(error);
  if (Object.keys(fields).length === 0) showError(error);
  return fields;
}

export function fieldErrorsOf(error: unknown): FieldErrors {
  if (!(error instanceof ApiError)) return {};
  const out: FieldErrors = {};
  for (const f of error.fields) out[f.path] ??= f.message;
  return out;
}

/**
 * A fresh id for one submission, made on the phone: a repeated tap or a
 * retry sends the same id, so the server makes one record.
 */
export function clientRequestId(prefix: string): string {
  const random = Array.from({ length: 4 }, () => Math.floor(Math.random() * 0x100000000).toString(36)).join('');
  return `${prefix}-${Date.now().toString(36)}-${random}`;
}

/** The signed-in member of staff, or a trip to sign-in that comes back to `path`. */
export function staffOrSignIn(path: string): StaffSession | null {
  const staff = getSession('staff');
  if (!staff) void Taro.redirectTo({ url: `${sign_in_page}?redirect=${encodeURIComponent(path)}` });
  return staff;
}

/** The shared schema's reasons by field path, checked on the phone before sending, in the same shape as the API's. */
export function schemaErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldErrors {
  const out: FieldErrors = {};
  for (const i of issues) out[i.path.map(String).join('.')] ??= i.message;
  return out;
}

/** 8.5 折 is 1500 bp off; anything that is not a number between 0 and 10 is left for the schema to refuse. */
export function bpOffOf(zhe: string): number {
  const n = Number(zhe.trim());
  return Number.isFinite(n) ? Math.round((10 - n) * 1000) : NaN;
}

/** "12.5" yuan from a form field to fen; NaN (which every schema refuses) for what is not an amount. */
export function fenOfField(text: string): number {
  try {
    return yuanToFen(text);
  } catch {
    return Number.NaN;
  }
}

export const setup_pages = {
  signUp: '/pages/setup/sign-up',
  stores: '/pages/setup/stores',
  staff: '/pages/setup/staff',
  invite: '/pages/setup/invite',
  products: '/pages/setup/products',
  categories: '/pages/setup/categories',
  storePrices: '/pages/setup/store-prices',
  priceChanges: '/pages/setup/price-changes',
  levels: '/pages/setup/levels',
  points: '/pages/setup/points',
  promotions: '/pages/setup/promotions',
  limits: '/pages/setup/limits',
  // Member messages (#17, messages stream).
  messages: '/pages/setup/messages',
  // Coupons (#17).
  coupons: '/pages/setup/coupons',
  // Stored value (#17).
  storedValue: '/pages/setup/stored-value',
} as const;

/**
 * Selling below cost is allowed (a clearance, a loss leader) once the owner
 * has seen what each sale loses; true when they confirm, or when the price
 * is not below cost at all.
 */
export async function confirmBelowCost(retailFen: number, costFen: number): Promise<boolean> {
  if (retailFen >= costFen) return true;
  const { confirm } = await Taro.showModal({
    title: '零售价低于进价',
    content: `零售价 ${formatFen(retailFen)} 低于进价 ${formatFen(costFen)}，每卖一件亏 ${formatFen(costFen - retailFen)}。确定这样定价吗？`,
    confirmText: '确定',
    cancelText: '再改改',
  });
  return confirm;
}

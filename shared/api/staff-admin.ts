import { z } from 'zod';
import { idOf, role } from './common.js';
import { inviteResponse, staffProfile, storeSummary } from './identity.js';
import { storeFields } from './onboarding.js';
import { store_receipt_footer_length_max, store_receipt_header_length_max } from './limits.js';

// Receipt texts reach the printer, where a control character is a command: none in the header, line breaks only in the footer.
// eslint-disable-next-line no-control-regex -- matching control characters is the point.
const receiptHeader = z.string().trim().max(store_receipt_header_length_max, `小票抬头最多 ${store_receipt_header_length_max} 个字（store_receipt_header_length_max）`).regex(/^[^\x00-\x1f\x7f-\x9f]*$/, '小票抬头不能含控制字符或换行');
const receiptFooter = z
  .string()
  .trim()
  .max(store_receipt_footer_length_max, `小票页脚最多 ${store_receipt_footer_length_max} 个字（store_receipt_footer_length_max）`)
  // eslint-disable-next-line no-control-regex -- matching control characters is the point.
  .regex(/^[^\x00-\x09\x0b-\x1f\x7f-\x9f]*$/, '小票页脚只能含文字和换行');

/**
 * The owner's screens for stores and staff (门店管理, 员工管理). Apart from
 * identity.ts, which the shop's main package reaches, so that its schemas
 * stay out of what every shopper downloads.
 */
export const storeDetail = storeSummary.extend({ phone: z.string(), businessHours: z.string(), active: z.boolean(), receiptHeader: z.string(), receiptFooter: z.string() });
export type StoreDetail = z.infer<typeof storeDetail>;
export const manageStoresResponse = z.object({ items: z.array(storeDetail) });
export const createStoreRequest = z.strictObject(storeFields);
export type CreateStoreRequest = z.infer<typeof createStoreRequest>;
export const updateStoreRequest = z
  .strictObject({ ...storeFields, active: z.boolean(), receiptHeader, receiptFooter })
  .partial()
  .refine((u) => Object.keys(u).length > 0, '没有要修改的内容');
export type UpdateStoreRequest = z.infer<typeof updateStoreRequest>;
export const storeResponse = z.object({ store: storeDetail });

export const updateStaffRequest = z
  .strictObject({ role, storeIds: z.array(idOf('sto')).min(1, '至少选择一家门店').max(50), active: z.boolean() })
  .partial()
  .refine((u) => Object.keys(u).length > 0, '没有要修改的内容');
export type UpdateStaffRequest = z.infer<typeof updateStaffRequest>;
export const staffMember = staffProfile.extend({ storeIds: z.array(z.string()), active: z.boolean() });
export const staffMemberResponse = z.object({ staff: staffMember });

export const openInvitesResponse = z.object({ items: z.array(inviteResponse) });

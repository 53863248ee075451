import { z } from 'zod';
import { name_length_max } from './common.js';
import { business_hours_length_max, shop_name_length_max, sign_up_id_length_max, sign_up_id_length_min, store_address_length_max, store_name_length_max } from './limits.js';

export { business_hours_length_max, shop_name_length_max, store_address_length_max, store_name_length_max } from './limits.js';

/** A mainland mobile (11 digits starting 1) or a landline with its area code (0 + 2–3 digits, a dash optional, 7–8 digits). */
export const phone_pattern = /^(1\d{10}|0\d{2,3}-?\d{7,8})$/;

/** The store fields an owner types, shared by sign-up and store editing, each with its Chinese reason. */
export const storeFields = {
  name: z.string().trim().min(1, '请填写门店名称').max(store_name_length_max, `门店名称最多 ${store_name_length_max} 个字（store_name_length_max）`),
  address: z.string().trim().min(1, '请填写门店地址').max(store_address_length_max, `地址最多 ${store_address_length_max} 个字（store_address_length_max）`),
  phone: z.string().trim().regex(phone_pattern, '电话应为 11 位手机号或带区号的座机号'),
  businessHours: z.string().trim().min(1, '请填写营业时间').max(business_hours_length_max, `营业时间最多 ${business_hours_length_max} 个字（business_hours_length_max）`),
};

export const signUpRequest = z.strictObject({
  signUpId: z
    .string()
    .min(sign_up_id_length_min, `开店请求编号至少 ${sign_up_id_length_min} 位`)
    .max(sign_up_id_length_max, `开店请求编号最多 ${sign_up_id_length_max} 位`)
    .regex(/^[A-Za-z0-9_-]+$/, '开店请求编号只能含字母、数字、_ 和 -'),
  shopName: z.string().trim().min(1, '请填写店铺名称').max(shop_name_length_max, `店铺名称最多 ${shop_name_length_max} 个字（shop_name_length_max）`),
  ownerName: z.string().trim().min(1, '请填写店主姓名').max(name_length_max, `店主姓名最多 ${name_length_max} 个字（name_length_max）`),
  store: z.strictObject(storeFields),
});
export type SignUpRequest = z.infer<typeof signUpRequest>;

export const setupStep = z.enum(['add_products', 'invite_staff', 'payments', 'store_qr']);
export type SetupStep = z.infer<typeof setupStep>;

export const checklistResponse = z.object({
  items: z.array(z.object({ step: setupStep, done: z.boolean() })),
  allDone: z.boolean(),
});
export type ChecklistResponse = z.infer<typeof checklistResponse>;

/** Steps the server cannot see happen by itself: the store QR opened to print. */
export const setupMarkRequest = z.strictObject({ step: z.literal('store_qr') });

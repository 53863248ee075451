import { z } from 'zod';
import { idOf, name_length_max, platform, role, storeCode, fen } from './common.js';
import { invite_code_length, invite_valid_days_max, login_code_length_max } from './limits.js';

export { invite_code_length, login_code_length_max } from './limits.js';

const loginCode = z.string().min(1).max(login_code_length_max);

export const storeSummary = z.object({
  id: idOf('sto'),
  code: storeCode,
  name: z.string(),
  address: z.string(),
});
export type StoreSummary = z.infer<typeof storeSummary>;

export const merchantSummary = z.object({ id: idOf('mch'), name: z.string() });

export const staffLoginRequest = z.strictObject({ platform, code: loginCode });
export type StaffLoginRequest = z.infer<typeof staffLoginRequest>;

export const staffBindRequest = z.strictObject({
  platform,
  code: loginCode,
  inviteCode: z.string().regex(new RegExp(`^[A-Z0-9]{${invite_code_length}}$`), 'must be the 8-character invitation code'),
});
export type StaffBindRequest = z.infer<typeof staffBindRequest>;

export const staffProfile = z.object({ id: idOf('stf'), name: z.string(), role });

export const staffSession = z.object({
  token: z.string(),
  expiresAt: z.string(),
  staff: staffProfile,
  merchant: merchantSummary,
  stores: z.array(storeSummary),
});
export type StaffSession = z.infer<typeof staffSession>;

export const shopperLoginRequest = z.strictObject({ platform, code: loginCode, storeCode });
export type ShopperLoginRequest = z.infer<typeof shopperLoginRequest>;

export const memberProfile = z.object({
  id: idOf('mbr'),
  name: z.string().nullable(),
  level: z.string(),
  points: z.number().int(),
});

export const shopperSession = z.object({
  token: z.string(),
  expiresAt: z.string(),
  member: memberProfile,
  merchant: merchantSummary,
  store: storeSummary,
});
export type ShopperSession = z.infer<typeof shopperSession>;

export const meResponse = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('staff'), staff: staffProfile, merchant: merchantSummary, stores: z.array(storeSummary) }),
  /** A member also sees their stored-value balance (储值, principal and bonus together), which the shop's cart offers as a way to pay. */
  z.object({ kind: z.literal('member'), member: memberProfile, merchant: merchantSummary, storedValueFen: fen }),
]);
export type MeResponse = z.infer<typeof meResponse>;

export const createInviteRequest = z.strictObject({
  name: z.string().trim().min(1).max(name_length_max),
  role,
  storeIds: z.array(idOf('sto')).min(1).max(50),
  /** Days the code stays open (invite_valid_days_max); invite_valid_days_default when left out. */
  validDays: z.number().int().min(1, '邀请至少有效 1 天').max(invite_valid_days_max, `邀请最多有效 ${invite_valid_days_max} 天（invite_valid_days_max）`).optional(),
});
export type CreateInviteRequest = z.infer<typeof createInviteRequest>;

export const inviteResponse = z.object({
  code: z.string(),
  /** The `/j/<code>` link the invitation's QR carries (shared/staff/invite-link.ts). */
  url: z.string(),
  name: z.string(),
  role,
  storeIds: z.array(z.string()),
  expiresAt: z.string(),
});
export type InviteResponse = z.infer<typeof inviteResponse>;

export const staffListResponse = z.object({
  items: z.array(staffProfile.extend({ storeIds: z.array(z.string()), active: z.boolean() })),
});

export const storesResponse = z.object({ items: z.array(storeSummary) });

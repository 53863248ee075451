import { z } from 'zod';
import { idOf, name_length_max } from './common.js';

export const phone = z.string().regex(/^1[3-9]\d{9}$/, '手机号应为 11 位');

export const memberLookupQuery = z.strictObject({
  phone: phone.optional(),
  memberId: idOf('mbr').optional(),
}).refine((q) => (q.phone ? 1 : 0) + (q.memberId ? 1 : 0) === 1, { message: '按手机号或会员码查询，二选一' });

export const memberCard = z.object({
  id: idOf('mbr'),
  name: z.string().nullable(),
  phoneMasked: z.string().nullable(),
  level: z.string(),
  points: z.number().int(),
});
export type MemberCard = z.infer<typeof memberCard>;

export const memberLookupResponse = z.object({ member: memberCard });

export const createMemberRequest = z.strictObject({
  phone,
  name: z.string().trim().min(1).max(name_length_max).optional(),
});

import { z } from 'zod';
import { page_size_max } from './limits.js';

export { name_length_max, page_size_default, page_size_max, search_query_length_max } from './limits.js';

export const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBody>;

/** A prefixed ULID such as `sto_01J…`. */
export const idOf = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}_[0-9A-HJKMNP-TV-Z]{26}$`), `must be a ${prefix}_ id`);

/** Integer fen; never a float, never a yuan string. */
export const fen = z.number().int().safe();

export const role = z.enum(['owner', 'manager', 'assistant']);
export type Role = z.infer<typeof role>;

export const platform = z.enum(['wechat', 'alipay']);
export type Platform = z.infer<typeof platform>;

/** Store codes are what the QR carries: short, URL-safe, upper case. */
export const storeCode = z.string().regex(/^[A-Z0-9]{4,16}$/, 'must be 4–16 upper-case letters or digits');

export const pageQuery = z.strictObject({
  cursor: z.string().max(128).optional(),
  limit: z.coerce.number().int().min(1).max(page_size_max).optional(),
});

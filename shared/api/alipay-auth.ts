import { z } from 'zod';

/**
 * The owner's side of Alipay's third-party app authorisation (#18): the link
 * to Alipay's consent page, valid until `expiresAt`, and the state of the
 * merchant's Alipay account meanwhile (`active` stays active while a new
 * authorisation is under way).
 */
export const alipayAuthorizeResponse = z.object({
  url: z.string().url(),
  expiresAt: z.string(),
  status: z.enum(['pending', 'active', 'revoked']),
});
export type AlipayAuthorizeResponse = z.infer<typeof alipayAuthorizeResponse>;

/** What Alipay sends the owner's browser back with; every field is checked by the server before use. */
export const alipayAppAuthCallbackQuery = z.object({
  app_auth_code: z.string().max(128).optional(),
  state: z.string().max(512).optional(),
  app_id: z.string().max(32).optional(),
});

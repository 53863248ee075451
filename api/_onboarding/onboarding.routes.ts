import { Hono } from 'hono';
import type { AppEnv, MemberPrincipal } from '../_kernel/context.js';
import { readJson } from '../_kernel/validate.js';
import { rateLimitByAddress } from '../_kernel/rate-limit.js';
import { requireAuth, staffOf } from '../_identity/index.js';
import { setupMarkRequest, signUpRequest } from '../../shared/api/onboarding.js';
import { signUp } from './sign-up.service.js';
import { markStoreQr, setupChecklist } from './checklist.service.js';

/** Opening a shop is rare for a real person; many from one address in an hour is a script. */
export const sign_ups_per_hour_max = 10;
const signUpRateLimit = rateLimitByAddress({ name: 'sign_ups_per_hour_max', max: sign_ups_per_hour_max, windowSeconds: 3600 }, '开店');

export const onboardingRoutes = new Hono<AppEnv>();

onboardingRoutes.post('/merchants', requireAuth('member'), signUpRateLimit, async (c) => {
  const body = await readJson(c, signUpRequest);
  return c.json(await signUp(c.get('deps'), c.get('principal') as MemberPrincipal, body), 201);
});

onboardingRoutes.get('/merchant/setup-checklist', requireAuth(['owner']), async (c) => {
  return c.json(await setupChecklist(c.get('deps'), staffOf(c.get('principal'))));
});

onboardingRoutes.post('/merchant/setup-marks', requireAuth(['owner']), async (c) => {
  await readJson(c, setupMarkRequest);
  return c.json(await markStoreQr(c.get('deps'), staffOf(c.get('principal'))));
});

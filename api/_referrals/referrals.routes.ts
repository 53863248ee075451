import { Hono } from 'hono';
import type { AppEnv } from '../_kernel/context.js';
import { AppError } from '../_kernel/errors.js';
import { enforceRate } from '../_kernel/rate-limit.js';
import { readJson } from '../_kernel/validate.js';
import { requireAuth, staffOf } from '../_identity/index.js';
import { arrivalRequest, referralSettingsRequest } from '../../shared/api/referrals.js';
import { recordArrival, referralTokenOf } from './arrival.service.js';
import { referralsOfMerchant } from './referrals-list.js';
import { referralSettings, saveReferralSettings } from './settings.js';

export const referralRoutes = new Hono<AppEnv>();

/** Arrivals a member may report per hour: a member arrives once, so a few retries are all a real client sends. */
export const referral_arrivals_per_hour_max = 10;

function memberOf(c: { get(key: 'principal'): AppEnv['Variables']['principal'] }) {
  const p = c.get('principal');
  if (p.kind !== 'member') throw new AppError('forbidden', '仅限顾客使用');
  return p;
}

referralRoutes.get('/shop/referral/token', requireAuth('member'), (c) => {
  return c.json(referralTokenOf(c.get('deps'), memberOf(c)));
});

referralRoutes.post('/shop/referral/arrivals', requireAuth('member'), async (c) => {
  const m = memberOf(c);
  const deps = c.get('deps');
  await enforceRate(deps, { name: 'referral_arrivals_per_hour_max', max: referral_arrivals_per_hour_max, windowSeconds: 3600 }, `${m.merchantId}:${m.memberId}`, '邀请到访');
  const body = await readJson(c, arrivalRequest);
  return c.json(await recordArrival(deps, m, body.token));
});

referralRoutes.get('/referrals', requireAuth(['owner', 'manager']), async (c) => {
  const p = staffOf(c.get('principal'));
  return c.json(await referralsOfMerchant(c.get('deps').db, p.merchantId));
});

referralRoutes.get('/referrals/settings', requireAuth(['owner', 'manager']), async (c) => {
  const p = staffOf(c.get('principal'));
  return c.json(await referralSettings(c.get('deps').db, p.merchantId));
});

referralRoutes.put('/referrals/settings', requireAuth(['owner']), async (c) => {
  const p = staffOf(c.get('principal'));
  const body = await readJson(c, referralSettingsRequest);
  return c.json(await saveReferralSettings(c.get('deps').db, p.merchantId, p.staffId, body));
});

import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../_kernel/context.js';
import { AppError } from '../_kernel/errors.js';
import { requireAuth } from '../_identity/index.js';
import { readJson } from '../_kernel/validate.js';
import { bindPhone, memberCentre } from '../_members/index.js';
import { memberOrderReceipt, memberOrders, merchantSellingSettings } from '../_sales/index.js';
import { bindPhoneRequest } from '../../shared/api/members.js';
import { idOf } from '../../shared/api/common.js';
import { memberMovers } from './member-movers.js';

/**
 * The member centre (#17): what a member sees of themselves, through their
 * own session only, and binding their phone. It joins the members module
 * (who they are, their points) with the sales module (their orders and the
 * merchant's levels), which the members module cannot import.
 */
export const memberCentreRoutes = new Hono<AppEnv>();

function memberOf(p: AppEnv['Variables']['principal']): { merchantId: string; memberId: string } {
  if (p.kind !== 'member') throw new AppError('forbidden', '仅限顾客使用');
  return { merchantId: p.merchantId, memberId: p.memberId };
}

/** Binds the phone the platform vouches for; a phone another member has makes the two one member. */
memberCentreRoutes.post('/me/phone', requireAuth('member'), async (c) => {
  const me = memberOf(c.get('principal'));
  const body = await readJson(c, bindPhoneRequest);
  const deps = c.get('deps');
  const { memberLevels } = await merchantSellingSettings(deps.db, me.merchantId);
  return c.json(await bindPhone(deps, me, body, { levels: memberLevels, movers: memberMovers }));
});

/** The member centre's first screen: the member, their level and what it gives, and the next level. */
memberCentreRoutes.get('/me/centre', requireAuth('member'), async (c) => {
  const me = memberOf(c.get('principal'));
  const deps = c.get('deps');
  const { memberLevels } = await merchantSellingSettings(deps.db, me.merchantId);
  return c.json(await memberCentre(deps.db, me, memberLevels));
});

/** The member's orders from the counter and the shop. */
memberCentreRoutes.get('/me/orders', requireAuth('member'), async (c) => {
  const me = memberOf(c.get('principal'));
  return c.json({ items: await memberOrders(c.get('deps').db, me) });
});

const orderParams = z.object({ orderId: idOf('ord') });

/** One of the member's own orders as its receipt; anyone else's is not found. */
memberCentreRoutes.get('/me/orders/:orderId/receipt', requireAuth('member'), async (c) => {
  const me = memberOf(c.get('principal'));
  const parsed = orderParams.safeParse(c.req.param());
  if (!parsed.success) throw new AppError('not_found', '找不到这笔订单');
  const deps = c.get('deps');
  return c.json({ receipt: await memberOrderReceipt(deps.db, me, parsed.data.orderId, deps.config.publicBaseUrl) });
});

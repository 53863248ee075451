import { Hono } from 'hono';
import type { AppEnv } from '../_kernel/context.js';
import { AppError } from '../_kernel/errors.js';
import { loginRateLimit, merchantById, requireAuth, staffOf, storesByIds } from '../_identity/index.js';
import { readJson, readQuery } from '../_kernel/validate.js';
import { createMemberRequest, memberLookupQuery, pointsPageQuery } from '../../shared/api/members.js';
import { storedValueBalance } from '../_stored-value/index.js';
import { memberCodeFor } from './member-code.js';
import { pointsPage } from './member-centre.service.js';
import { shopperLoginRequest } from '../../shared/api/identity.js';
import { shopperLogin } from './shopper-session.js';
import { pointsBalance } from './points.repository.js';
import { createMember, lookupMember, memberSummary } from './members.service.js';

export const memberRoutes = new Hono<AppEnv>();

/** Shoppers sign in on the platform they are in and become members of the store's merchant. */
memberRoutes.post('/auth/shopper/login', loginRateLimit, async (c) => {
  const body = await readJson(c, shopperLoginRequest);
  return c.json(await shopperLogin(c.get('deps'), body));
});

/** Who the session is: a member with their live points, or a member of staff with their stores. */
memberRoutes.get('/me', requireAuth('session'), async (c) => {
  const deps = c.get('deps');
  const p = c.get('principal');
  const merchant = await merchantById(deps.db, p.merchantId);
  if (p.kind === 'staff') {
    return c.json({
      kind: 'staff' as const,
      staff: { id: p.staffId, name: p.name, role: p.role },
      merchant,
      stores: await storesByIds(deps.db, p.merchantId, p.storeIds),
    });
  }
  const member = await memberSummary(deps.db, p.memberId);
  const [points, stored] = await Promise.all([pointsBalance(deps.db, p.memberId), storedValueBalance(deps.db, p.merchantId, p.memberId)]);
  return c.json({ kind: 'member' as const, member: { ...member, points }, merchant, storedValueFen: stored.principalFen + stored.bonusFen });
});


/** The counter finds a member by phone or by the code on the member's card (their id). */
memberRoutes.get('/members/lookup', requireAuth('staff'), async (c) => {
  const q = readQuery(c, memberLookupQuery);
  const p = staffOf(c.get('principal'));
  return c.json({ member: await lookupMember(c.get('deps'), p, q) });
});

memberRoutes.post('/members', requireAuth('staff'), async (c) => {
  const body = await readJson(c, createMemberRequest);
  const p = staffOf(c.get('principal'));
  return c.json({ member: await createMember(c.get('deps').db, p.merchantId, body, c.get('deps').clock()) }, 201);
});

function memberOf(p: AppEnv['Variables']['principal']): { merchantId: string; memberId: string } {
  if (p.kind !== 'member') throw new AppError('forbidden', '仅限顾客使用');
  return { merchantId: p.merchantId, memberId: p.memberId };
}

/** The member code (会员码) to show now; the page fetches the next one at refreshAt. */
memberRoutes.get('/me/code', requireAuth('member'), async (c) => {
  const me = memberOf(c.get('principal'));
  const deps = c.get('deps');
  return c.json(memberCodeFor(deps.config.sessionSecret, me.memberId, deps.clock()));
});

/** The member's live points balance and ledger, newest first, a page at a time. */
memberRoutes.get('/me/points', requireAuth('member'), async (c) => {
  const me = memberOf(c.get('principal'));
  const q = readQuery(c, pointsPageQuery);
  return c.json(await pointsPage(c.get('deps').db, me, q.before));
});

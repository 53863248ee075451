import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../_kernel/context.js';
import { requireAuth, staffOf } from '../_identity/index.js';
import { AppError } from '../_kernel/errors.js';
import { assertStoreAccess } from '../_identity/index.js';
import { readJson, readParams, readQuery } from '../_kernel/validate.js';
import { createReservationRequest, reservationsQuery, reservations_list_max, shopReservationRequest } from '../../shared/api/reservations.js';
import { cancelReservation, createAtCounter, createInShop } from './reservations.service.js';
import { reservationForStaff, reservationViews } from './reservation-view.js';
import { reservationIdsOfMember, reservationIdsOfStore } from './reservations.repository.js';
import { enforceRate } from '../_kernel/rate-limit.js';

export const reservationRoutes = new Hono<AppEnv>();

const reservationParams = z.object({ reservationId: z.string().regex(/^rsv_[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a rsv_ id') });

function memberOf(c: { get(key: 'principal'): AppEnv['Variables']['principal'] }) {
  const p = c.get('principal');
  if (p.kind !== 'member') throw new AppError('forbidden', '仅限顾客使用');
  return p;
}

reservationRoutes.post('/reservations', requireAuth('staff'), async (c) => {
  const body = await readJson(c, createReservationRequest);
  const staff = staffOf(c.get('principal'));
  const result = await createAtCounter(c.get('deps'), staff, body);
  return c.json({ ...result, reservation: reservationForStaff(result.reservation, staff) }, result.replayed ? 200 : 201);
});

reservationRoutes.get('/reservations', requireAuth('staff'), async (c) => {
  const q = readQuery(c, reservationsQuery);
  const deps = c.get('deps');
  const p = staffOf(c.get('principal'));
  await assertStoreAccess(deps.db, p, q.storeId);
  const rows = await reservationIdsOfStore(deps.db, p.merchantId, q.storeId, q.status, reservations_list_max);
  const views = await reservationViews(deps.db, p.merchantId, rows.map((r) => r.id));
  return c.json({ items: views.map((v) => reservationForStaff(v, p)) });
});

reservationRoutes.post('/reservations/:reservationId/cancel', requireAuth('staff'), async (c) => {
  const { reservationId } = readParams(c, reservationParams);
  const staff = staffOf(c.get('principal'));
  return c.json({ reservation: reservationForStaff(await cancelReservation(c.get('deps'), { staff }, reservationId), staff), replayed: false });
});

/** Reservations a member may send from the shop per hour, replays included: each one holds stock. */
export const shop_reservations_per_hour_max = 10;

reservationRoutes.post('/shop/reservations', requireAuth('member'), async (c) => {
  const member = memberOf(c);
  await enforceRate(c.get('deps'), { name: 'shop_reservations_per_hour_max', max: shop_reservations_per_hour_max, windowSeconds: 3600 }, `${member.merchantId}:${member.memberId}`, '预约');
  const body = await readJson(c, shopReservationRequest);
  const result = await createInShop(c.get('deps'), member, body);
  return c.json(result, result.replayed ? 200 : 201);
});

reservationRoutes.get('/shop/reservations', requireAuth('member'), async (c) => {
  const m = memberOf(c);
  const db = c.get('deps').db;
  const rows = await reservationIdsOfMember(db, m.merchantId, m.memberId, reservations_list_max);
  return c.json({ items: await reservationViews(db, m.merchantId, rows.map((r) => r.id)) });
});

reservationRoutes.post('/shop/reservations/:reservationId/cancel', requireAuth('member'), async (c) => {
  const { reservationId } = readParams(c, reservationParams);
  const m = memberOf(c);
  return c.json({ reservation: await cancelReservation(c.get('deps'), { memberId: m.memberId, merchantId: m.merchantId }, reservationId), replayed: false });
});

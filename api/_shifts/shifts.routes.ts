import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../_kernel/context.js';
import { assertStoreAccess, requireAuth, staffOf } from '../_identity/index.js';
import { readJson, readParams, readQuery } from '../_kernel/validate.js';
import { idOf } from '../../shared/api/common.js';
import { cashMoveRequest, closeShiftRequest, confirmShiftRequest, currentShiftQuery, dayCloseQuery, dayCloseRequest, openShiftRequest, shiftSettingsRequest, shiftsQuery } from '../../shared/api/shifts.js';
import { renderPlainText, receipt_columns_58mm } from '../../shared/receipt/layout.js';
import { layoutDaySlip } from '../../shared/shifts/slip.js';
import { addCashMove, closeShift, confirmShift, currentShift, openShift, shiftById, shiftsOfDay } from './shifts.service.js';
import { closeDay, dayCloseView } from './day-close.service.js';
import { saveShiftSettings } from './settings.service.js';

export const shiftRoutes = new Hono<AppEnv>();
const shiftParams = z.object({ shiftId: idOf('sft') });

shiftRoutes.get('/shifts/current', requireAuth('staff'), async (c) => {
  const q = readQuery(c, currentShiftQuery);
  const deps = c.get('deps');
  return c.json({ shift: await currentShift(deps.db, staffOf(c.get('principal')), q.storeId, q.deviceId, deps.clock()) });
});

shiftRoutes.post('/shifts', requireAuth('staff'), async (c) => {
  const body = await readJson(c, openShiftRequest);
  const r = await openShift(c.get('deps'), staffOf(c.get('principal')), body);
  return c.json({ shift: r.shift }, r.replayed ? 200 : 201);
});

shiftRoutes.get('/shifts/:shiftId', requireAuth('staff'), async (c) => {
  const { shiftId } = readParams(c, shiftParams);
  const deps = c.get('deps');
  return c.json({ shift: await shiftById(deps.db, staffOf(c.get('principal')), shiftId, deps.clock()) });
});

shiftRoutes.post('/shifts/:shiftId/cash-moves', requireAuth('staff'), async (c) => {
  const { shiftId } = readParams(c, shiftParams);
  const body = await readJson(c, cashMoveRequest);
  return c.json({ shift: await addCashMove(c.get('deps'), staffOf(c.get('principal')), shiftId, body) });
});

shiftRoutes.post('/shifts/:shiftId/close', requireAuth('staff'), async (c) => {
  const { shiftId } = readParams(c, shiftParams);
  const body = await readJson(c, closeShiftRequest);
  return c.json({ shift: await closeShift(c.get('deps'), staffOf(c.get('principal')), shiftId, body) });
});

// Accepting a drawer's variance is a manager's call, as approving a return is.
shiftRoutes.post('/shifts/:shiftId/confirm', requireAuth(['owner', 'manager']), async (c) => {
  const { shiftId } = readParams(c, shiftParams);
  const body = await readJson(c, confirmShiftRequest);
  return c.json({ shift: await confirmShift(c.get('deps'), staffOf(c.get('principal')), shiftId, body) });
});

shiftRoutes.get('/shifts', requireAuth(['owner', 'manager']), async (c) => {
  const q = readQuery(c, shiftsQuery);
  const deps = c.get('deps');
  return c.json({ items: await shiftsOfDay(deps.db, staffOf(c.get('principal')), q.storeId, q.date, deps.clock()) });
});

shiftRoutes.put('/stores/:storeId/shift-settings', requireAuth(['owner', 'manager']), async (c) => {
  const { storeId } = readParams(c, z.object({ storeId: idOf('sto') }));
  const staff = staffOf(c.get('principal'));
  // Another merchant's store is "not found" whatever the body says.
  await assertStoreAccess(c.get('deps').db, staff, storeId);
  const body = await readJson(c, shiftSettingsRequest);
  return c.json(await saveShiftSettings(c.get('deps'), staff, storeId, body));
});

shiftRoutes.get('/day-close', requireAuth(['owner', 'manager']), async (c) => {
  const q = readQuery(c, dayCloseQuery);
  const deps = c.get('deps');
  return c.json({ dayClose: await dayCloseView(deps.db, staffOf(c.get('principal')), q.storeId, q.date, deps.clock()) });
});

shiftRoutes.post('/day-close', requireAuth(['owner', 'manager']), async (c) => {
  const body = await readJson(c, dayCloseRequest);
  return c.json({ dayClose: await closeDay(c.get('deps'), staffOf(c.get('principal')), body.storeId, body.businessDate) });
});

/** The handover slip as text lines for the page and ESC/POS bytes (GBK) for the 58 mm printer. */
shiftRoutes.get('/day-close/slip', requireAuth(['owner', 'manager']), async (c) => {
  const q = readQuery(c, dayCloseQuery);
  const deps = c.get('deps');
  const now = deps.clock();
  const items = layoutDaySlip(await dayCloseView(deps.db, staffOf(c.get('principal')), q.storeId, q.date, now), now.toISOString());
  // The encoder brings iconv-lite with it; loaded when a slip is printed, as for receipts.
  const { escposFromLayout } = await import('../_receipt/index.js');
  return c.json({ lines: renderPlainText(items, receipt_columns_58mm), escposBase64: Buffer.from(escposFromLayout(items)).toString('base64') });
});

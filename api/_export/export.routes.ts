import { Hono } from 'hono';
import type { AppEnv } from '../_kernel/context.js';
import { requireAuth, staffOf } from '../_identity/index.js';
import { businessDate } from '../_kernel/clock.js';
import { audit } from '../_audit/index.js';
import { attachment } from './cells.js';
import { merchantZipStream } from './merchant-export.js';

export const exportRoutes = new Hono<AppEnv>();

/** The merchant's whole data set as CSV files in a zip, streamed; the owner's alone, and audited. */
exportRoutes.get('/exports/merchant', requireAuth(['owner']), async (c) => {
  const deps = c.get('deps');
  const p = staffOf(c.get('principal'));
  await audit(deps.db, { merchantId: p.merchantId, actorId: p.staffId, action: 'export.merchant', subjectId: p.merchantId, detail: {} });
  return c.body(merchantZipStream(deps.db, p.merchantId), 200, {
    'content-type': 'application/zip',
    'content-disposition': attachment(`全部数据_${businessDate(deps.clock())}.zip`),
    'cache-control': 'no-store',
  });
});

import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../_kernel/context.js';
import { requireAuth, seesFullPhones, staffOf } from '../_identity/index.js';
import { maskPhone } from '../../shared/phone-mask.js';
import { readJson, readParams, readQuery } from '../_kernel/validate.js';
import { businessDate } from '../_kernel/clock.js';
import { idOf } from '../../shared/api/common.js';
import { creditApprovalRequest, receiptRequest, statementQuery, tradeCustomerRequest } from '../../shared/api/credit.js';
import { listTradeCustomers, saveTradeCustomer, tradeCustomerView } from './customers.service.js';
import { approveOverLimit } from './approvals.service.js';
import { recordReceipt } from './receipts.service.js';
import { customerInvoices, customerStatement, overdueReminders } from './statement.js';

export const creditRoutes = new Hono<AppEnv>();

const customerParams = z.object({ customerId: idOf('tcu') });
const managers = ['owner', 'manager'] as const;

// Any staff member may look customers up: the counter picks one to bill on account.
creditRoutes.get('/credit/customers', requireAuth('staff'), async (c) => {
  const p = staffOf(c.get('principal'));
  const deps = c.get('deps');
  const items = await listTradeCustomers(deps.db, p.merchantId, businessDate(deps.clock()));
  return c.json({ items: seesFullPhones(p) ? items : items.map((i) => ({ ...i, phone: maskPhone(i.phone) })) });
});

creditRoutes.get('/credit/customers/:customerId', requireAuth('staff'), async (c) => {
  const { customerId } = readParams(c, customerParams);
  const deps = c.get('deps');
  const p = staffOf(c.get('principal'));
  const customer = await tradeCustomerView(deps.db, p.merchantId, customerId, businessDate(deps.clock()));
  return c.json({ customer: seesFullPhones(p) ? customer : { ...customer, phone: maskPhone(customer.phone) } });
});

creditRoutes.post('/credit/customers', requireAuth(managers), async (c) => {
  const body = await readJson(c, tradeCustomerRequest);
  const deps = c.get('deps');
  const p = staffOf(c.get('principal'));
  const id = await saveTradeCustomer(deps.db, p, body);
  return c.json({ customer: await tradeCustomerView(deps.db, p.merchantId, id, businessDate(deps.clock())) }, 201);
});

creditRoutes.put('/credit/customers/:customerId', requireAuth(managers), async (c) => {
  const { customerId } = readParams(c, customerParams);
  const body = await readJson(c, tradeCustomerRequest);
  const deps = c.get('deps');
  const p = staffOf(c.get('principal'));
  await saveTradeCustomer(deps.db, p, body, customerId);
  return c.json({ customer: await tradeCustomerView(deps.db, p.merchantId, customerId, businessDate(deps.clock())) });
});

creditRoutes.post('/credit/customers/:customerId/approvals', requireAuth(managers), async (c) => {
  const { customerId } = readParams(c, customerParams);
  const body = await readJson(c, creditApprovalRequest);
  const deps = c.get('deps');
  return c.json(await approveOverLimit(deps.db, staffOf(c.get('principal')), customerId, body, deps.clock()), 201);
});

creditRoutes.post('/credit/customers/:customerId/receipts', requireAuth(managers), async (c) => {
  const { customerId } = readParams(c, customerParams);
  const body = await readJson(c, receiptRequest);
  const result = await recordReceipt(c.get('deps'), staffOf(c.get('principal')), customerId, body);
  return c.json(result, result.replayed ? 200 : 201);
});

creditRoutes.get('/credit/customers/:customerId/invoices', requireAuth(managers), async (c) => {
  const { customerId } = readParams(c, customerParams);
  const deps = c.get('deps');
  return c.json({ items: await customerInvoices(deps.db, staffOf(c.get('principal')).merchantId, customerId, businessDate(deps.clock())) });
});

creditRoutes.get('/credit/customers/:customerId/statement', requireAuth(managers), async (c) => {
  const { customerId } = readParams(c, customerParams);
  const q = readQuery(c, statementQuery);
  return c.json(await customerStatement(c.get('deps').db, staffOf(c.get('principal')).merchantId, customerId, q.from, q.to));
});

creditRoutes.get('/credit/overdue', requireAuth(managers), async (c) => {
  const deps = c.get('deps');
  return c.json(await overdueReminders(deps.db, staffOf(c.get('principal')).merchantId, businessDate(deps.clock())));
});

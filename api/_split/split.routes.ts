import { Hono } from 'hono';
import type { AppEnv } from '../_kernel/context.js';
import { requireAuth, staffOf } from '../_identity/index.js';
import { AppError } from '../_kernel/errors.js';
import { readJson, readQuery } from '../_kernel/validate.js';
import { splitLogQuery, splitRuleRequest, split_log_page_max } from '../../shared/api/split.js';
import { splitLogCsv, split_event_names } from '../../shared/split/csv.js';
import { beijingTimeText } from '../../shared/beijing-time.js';
import { listSplitRules, saveSplitRule } from './rules.service.js';
import { paymentIdOfMerchant, receiverIdOfMerchant, splitLogOf } from './log.js';

export const splitRoutes = new Hono<AppEnv>();

splitRoutes.post('/split/rules', requireAuth(['owner']), async (c) => {
  const body = await readJson(c, splitRuleRequest);
  const result = await saveSplitRule(c.get('deps'), staffOf(c.get('principal')), body);
  return c.json(result, result.replayed ? 200 : 201);
});

splitRoutes.get('/split/rules', requireAuth(['owner']), async (c) => {
  return c.json({ items: await listSplitRules(c.get('deps'), staffOf(c.get('principal'))) });
});

/** The split log of one payment or one receiver, oldest first; `format=csv` for the owner's spreadsheet. */
splitRoutes.get('/split/log', requireAuth(['owner']), async (c) => {
  const q = readQuery(c, splitLogQuery);
  const deps = c.get('deps');
  const p = staffOf(c.get('principal'));
  if (q.paymentId) {
    const found = await paymentIdOfMerchant(deps.db, p.merchantId, q.paymentId);
    if (!found) throw new AppError('not_found', `找不到支付 ${q.paymentId}`);
  } else {
    const found = await receiverIdOfMerchant(deps.db, p.merchantId, q.receiverId!);
    if (!found) throw new AppError('not_found', `找不到分账接收方 ${q.receiverId}`);
  }
  const rows = await splitLogOf(deps.db, p.merchantId, q, split_log_page_max);
  const items = rows.map((r) => ({
    id: Number(r.id),
    at: r.created_at.toISOString(),
    event: r.event,
    paymentId: r.payment_id,
    splitId: r.split_id,
    ruleId: r.rule_id,
    receiverId: r.receiver_id,
    receiverName: r.name,
    receiverAccount: r.account,
    amountFen: r.amount_fen === null ? null : Number(r.amount_fen),
    status: r.status,
    detail: r.detail,
  }));
  if (q.format === 'csv') {
    const csv = splitLogCsv(items.map((i) => ({ at: beijingTimeText(i.at), paymentId: i.paymentId, event: split_event_names[i.event] ?? i.event, receiverName: i.receiverName, receiverAccount: i.receiverAccount, amountFen: i.amountFen, status: i.status, detail: JSON.stringify(i.detail) })));
    return c.body(csv, 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="split-log-${q.paymentId ?? q.receiverId}.csv"` });
  }
  return c.json({ items });
});

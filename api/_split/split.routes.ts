import { Hono } from 'hono';
import type { AppEnv } from '../_kernel/context.js';
import { requireAuth, staffOf } from '../_identity/index.js';
import { AppError } from '../_kernel/errors.js';
import { readJson, readQuery } from '../_kernel/validate.js';
import { splitLogQuery, splitRuleRequest, split_log_page_max } from '../../shared/api/split.js';
import { splitLogCsv, split_event_names } from '../../shared/split/csv.js';
import { beijingTimeText } from '../../shared/beijing-time.js';
import { listSplitRules, saveSplitRule } from './rules.service.js';

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
    const found = await deps.db.selectFrom('payments').select('id').where('id', '=', q.paymentId).where('merchant_id', '=', p.merchantId).executeTakeFirst();
    if (!found) throw new AppError('not_found', `找不到支付 ${q.paymentId}`);
  } else {
    const found = await deps.db.selectFrom('split_receivers').select('id').where('id', '=', q.receiverId!).where('merchant_id', '=', p.merchantId).executeTakeFirst();
    if (!found) throw new AppError('not_found', `找不到分账接收方 ${q.receiverId}`);
  }
  let query = deps.db
    .selectFrom('split_log')
    .leftJoin('split_receivers', 'split_receivers.id', 'split_log.receiver_id')
    .select(['split_log.id', 'split_log.created_at', 'split_log.event', 'split_log.payment_id', 'split_log.split_id', 'split_log.rule_id', 'split_log.receiver_id', 'split_log.amount_fen', 'split_log.status', 'split_log.detail', 'split_receivers.name', 'split_receivers.account'])
    .where('split_log.merchant_id', '=', p.merchantId);
  query = q.paymentId ? query.where('split_log.payment_id', '=', q.paymentId) : query.where('split_log.receiver_id', '=', q.receiverId!);
  const rows = await query.orderBy('split_log.id').limit(split_log_page_max).execute();
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

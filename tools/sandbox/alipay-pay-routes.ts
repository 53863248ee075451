import { randomInt } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { fenToYuan } from '../../shared/money';
import type { AlipayPaySandbox, SandboxTrade } from './alipay-pay-trades';

/**
 * Sandbox control routes for Alipay payments, playing the payer:
 *
 * - `POST /sandbox/alipay/pay {tradeNo | qrCode, outcome?, buyerId?}`: the
 *   payer opens the pay sheet of a trade.create trade (`tradeNo`, what
 *   `my.tradePay` gets) or scans a precreate QR code. `outcome` `success`
 *   (default) pays; `scan` only scans (the trade becomes visible at
 *   WAIT_BUYER_PAY, as when the payer has the sheet open).
 * - `GET /sandbox/alipay/trades/:outTradeNo`: the trade as the sandbox holds it, for tests to peek.
 */

export const alipay_pay_body_bytes_max = 4 * 1024;

const payRequestSchema = z
  .object({
    tradeNo: z.string().min(1).max(64).optional(),
    qrCode: z.string().min(1).max(256).optional(),
    outcome: z.enum(['success', 'scan']).optional(),
    buyerId: z.string().regex(/^2088\d{12}$/, 'an Alipay user id: 2088 and 12 digits').optional(),
  })
  .refine((body) => (body.tradeNo === undefined) !== (body.qrCode === undefined), 'give exactly one of tradeNo and qrCode');

function view(trade: SandboxTrade, refundedFen: number) {
  return {
    outTradeNo: trade.outTradeNo,
    tradeNo: trade.tradeNo,
    product: trade.product,
    status: trade.status,
    scanned: trade.scanned,
    totalAmount: fenToYuan(trade.totalFen),
    totalFen: trade.totalFen,
    subject: trade.subject,
    appId: trade.appId,
    authAppId: trade.authAppId,
    sellerId: trade.sellerId,
    buyerId: trade.buyerId ?? null,
    buyerOpenId: trade.buyerOpenId ?? null,
    notifyUrl: trade.notifyUrl ?? null,
    qrCode: trade.qrCode ?? null,
    royaltyFreeze: trade.royaltyFreeze,
    expiresAt: trade.expiresAt?.toISOString() ?? null,
    createdAt: trade.createdAt.toISOString(),
    paidAt: trade.paidAt?.toISOString() ?? null,
    closedAt: trade.closedAt?.toISOString() ?? null,
    refundedFen,
    refunds: trade.refunds.map((refund) => ({ outRequestNo: refund.outRequestNo, amountFen: refund.amountFen, reason: refund.reason, at: refund.at.toISOString() })),
  };
}

function randomUserId(): string {
  let digits = '';
  for (let i = 0; i < 12; i++) digits += String(randomInt(10));
  return `2088${digits}`;
}

export function alipayPayRoutes(pay: AlipayPaySandbox): Hono {
  const app = new Hono();
  app.post('/sandbox/alipay/pay', bodyLimit({ maxSize: alipay_pay_body_bytes_max }), async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json({ error: 'body must be JSON' }, 400);
    }
    const parsed = payRequestSchema.safeParse(body);
    if (!parsed.success) return c.json({ error: z.prettifyError(parsed.error) }, 400);
    const request = parsed.data;
    const trade = request.tradeNo !== undefined ? pay.byTradeNo(request.tradeNo) : pay.byQrCode(request.qrCode ?? '');
    if (!trade || trade.product === 'bar_code') return c.json({ error: 'no trade.create trade with that tradeNo or precreate trade with that qrCode' }, 404);
    trade.scanned = true;
    pay.settle(trade, false);
    if (trade.status !== 'WAIT_BUYER_PAY') return c.json({ error: `the trade is ${trade.status}, not waiting for payment`, trade: view(trade, pay.refundedFen(trade)) }, 409);
    if (request.buyerId && trade.buyerId && trade.buyerId !== request.buyerId) return c.json({ error: 'the trade was made for another buyer' }, 409);
    if ((request.outcome ?? 'success') === 'success') pay.markPaid(trade, request.buyerId ?? randomUserId());
    return c.json({ trade: view(trade, pay.refundedFen(trade)) });
  });
  app.get('/sandbox/alipay/trades/:outTradeNo', (c) => {
    const trade = pay.trades.get(c.req.param('outTradeNo'));
    if (!trade) return c.json({ error: 'no such trade' }, 404);
    pay.settle(trade, false);
    return c.json({ trade: view(trade, pay.refundedFen(trade)) });
  });
  return app;
}

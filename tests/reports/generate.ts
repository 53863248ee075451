import { expect } from 'vitest';
import type { TestApi } from '../_support/api-harness';
import { productPage } from '../../shared/api/catalog';
import { checkoutResponse, type OrderView } from '../../shared/api/orders';
import { returnResponse } from '../../shared/api/returns';
import { mulberry32 } from '../../shared/prng';
import { newId } from '../../shared/ids';

interface Seller {
  token: string;
  storeCode: 'DEMO01' | 'DEMO02';
}

interface Sku {
  id: string;
  retailPriceFen: number;
  memberPriceFen: number;
}

/** Noon in Beijing on the day, so the business day is that day whatever the machine's zone. */
export function beijingNoon(date: string): Date {
  return new Date(`${date}T04:00:00Z`);
}

async function skusOf(api: TestApi, token: string, storeId: string): Promise<Sku[]> {
  const out: Sku[] = [];
  let cursor: string | null = null;
  do {
    const res = await api.call('GET', `/api/stores/${storeId}/products?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
    const page = productPage.parse(res.body);
    for (const p of page.items) for (const s of p.skus) if (s.available >= 30) out.push({ id: s.id, retailPriceFen: s.retailPriceFen, memberPriceFen: s.memberPriceFen });
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

export interface Generated {
  orders: OrderView[];
  returns: { id: string; status: string }[];
  from: string;
  to: string;
}

/**
 * Months of selling in both demo stores through the real API: several
 * assistants, members (member prices) and walk-in customers, cash, wallets and
 * split tenders; returns whole and partial, small ones at once, large ones
 * approved on a later day or rejected.
 */
export async function generateSales(api: TestApi, tokens: { assistant1: string; assistant2: string; manager: string; owner: string }, from: string, days: number): Promise<Generated> {
  const random = mulberry32(424242);
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)]!;
  const stores = { DEMO01: api.seed.storeIds.DEMO01!, DEMO02: api.seed.storeIds.DEMO02! };
  const skus = { DEMO01: (await skusOf(api, tokens.owner, stores.DEMO01)).slice(0, 30), DEMO02: (await skusOf(api, tokens.owner, stores.DEMO02)).slice(0, 30) };
  const members = await api.deps.db.selectFrom('members').select('id').where('merchant_id', '=', api.seed.merchantId).execute();
  const sellers: Seller[] = [
    { token: tokens.assistant1, storeCode: 'DEMO01' },
    { token: tokens.manager, storeCode: 'DEMO01' },
    { token: tokens.assistant2, storeCode: 'DEMO02' },
    { token: tokens.owner, storeCode: 'DEMO02' },
  ];
  // A low limit for assistants, so a good share of their returns wait for a manager's decision.
  await api.deps.db.deleteFrom('return_limits').where('merchant_id', '=', api.seed.merchantId).where('role', '=', 'assistant').execute();
  await api.deps.db.insertInto('return_limits').values({ merchant_id: api.seed.merchantId, role: 'assistant', per_return_fen: 30_00, per_day_fen: 500_00 }).execute();
  const orders: OrderView[] = [];
  const returns: { id: string; status: string }[] = [];
  const pendingApproval: string[] = [];
  let decided = 0;
  const start = Date.parse(`${from}T00:00:00Z`);
  let last = from;
  for (let d = 0; d < days; d += 3) {
    const date = new Date(start + d * 86_400_000).toISOString().slice(0, 10);
    last = date;
    api.setNow(beijingNoon(date));
    // Returns waiting for a manager are decided a few days after they were asked for.
    while (pendingApproval.length > 0) {
      const id = pendingApproval.shift()!;
      // Every third one is turned down.
      const verb = ++decided % 3 === 0 ? 'reject' : 'approve';
      const res = await api.call('POST', `/api/returns/${id}/${verb}`, { token: tokens.owner, body: { note: verb === 'approve' ? '同意' : '不同意' } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      returns.push({ id, status: returnResponse.parse(res.body).return.status });
    }
    for (const seller of sellers) {
      const n = 1 + Math.floor(random() * 2);
      for (let k = 0; k < n; k++) {
        const memberId = random() < 0.3 ? pick(members).id : undefined;
        const lineCount = 1 + Math.floor(random() * 3);
        const chosen = new Map<string, Sku>();
        while (chosen.size < lineCount) {
          const s = pick(skus[seller.storeCode]);
          chosen.set(s.id, s);
        }
        const lines = [...chosen.values()].map((s) => ({ skuId: s.id, qty: 1 + Math.floor(random() * 3), unit: memberId ? s.memberPriceFen : s.retailPriceFen }));
        const total = lines.reduce((t, l) => t + l.unit * l.qty, 0);
        const r = random();
        const tenders =
          r < 0.4
            ? [{ method: 'cash', amountFen: total }]
            : r < 0.65
              ? [{ method: 'card', amountFen: total, reference: `POS${orders.length}` }]
              : r < 0.85
                ? [{ method: 'ecny', amountFen: total, reference: `ECNY${orders.length}` }]
                : [{ method: 'cash', amountFen: Math.floor(total / 3) }, { method: 'card', amountFen: total - Math.floor(total / 3), reference: `POS${orders.length}` }];
        const res = await api.call('POST', '/api/orders', {
          token: seller.token,
          body: { clientOrderId: newId('order'), storeId: stores[seller.storeCode], ...(memberId ? { memberId } : {}), lines: lines.map((l) => ({ skuId: l.skuId, qty: l.qty })), tenders: tenders.filter((t) => t.amountFen > 0), expectedTotalFen: total },
        });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        const order = checkoutResponse.parse(res.body).order;
        orders.push(order);
        // About one sale in five comes back: a line in part, or all of it.
        if (random() < 0.2) {
          const whole = random() < 0.4;
          const line = pick(order.lines);
          const body = { clientReturnId: newId('return'), reason: '顾客退货', orderId: order.id, ...(whole ? {} : { lines: [{ orderLineId: line.id, qty: 1 }] }) };
          const back = await api.call('POST', '/api/returns', { token: seller.token, body });
          expect(back.status, JSON.stringify(back.body)).toBe(201);
          const made = returnResponse.parse(back.body).return;
          if (made.status === 'pending_approval') pendingApproval.push(made.id);
          else returns.push({ id: made.id, status: made.status });
        }
      }
    }
  }
  return { orders, returns, from, to: last };
}

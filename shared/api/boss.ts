import { z } from 'zod';
import { fen, idOf } from './common.js';

export const bossQuery = z.strictObject({ storeId: idOf('sto').optional() });

export const byAssistantResponse = z.object({
  date: z.string(),
  items: z.array(z.object({ staffId: z.string(), name: z.string(), takingsFen: fen, orderCount: z.number().int(), avgTicketFen: fen })),
});

export const dailyQuery = z.strictObject({ storeId: idOf('sto').optional(), days: z.coerce.number().int().min(1).max(92).optional() });
export const dailyResponse = z.object({
  items: z.array(z.object({ date: z.string(), takingsFen: fen, orderCount: z.number().int() })),
});

export const bestSellersQuery = z.strictObject({ storeId: idOf('sto').optional(), limit: z.coerce.number().int().min(1).max(50).optional() });
export const bestSellersResponse = z.object({
  date: z.string(),
  items: z.array(z.object({ skuId: z.string(), name: z.string(), spec: z.string(), qty: z.number().int(), netFen: fen })),
});

export const flaggedOrdersResponse = z.object({
  items: z.array(
    z.object({
      orderId: z.string(),
      receiptNo: z.string(),
      storeId: z.string(),
      businessDate: z.string(),
      totalFen: fen,
      createdAt: z.string(),
      /** The sale overdrew stock. */
      stockFlagged: z.boolean(),
      /** What the device collected minus what the server priced; non-zero when prices changed while offline. */
      priceDiffFen: z.number().int(),
    }),
  ),
});

import { z } from 'zod';
import { fen, idOf } from './common';

export const todayQuery = z.strictObject({ storeId: idOf('sto').optional() });

export const todayResponse = z.object({
  /** The business day in Asia/Shanghai, YYYY-MM-DD. */
  date: z.string(),
  storeId: z.string().nullable(),
  takingsFen: fen,
  orderCount: z.number().int(),
  avgTicketFen: fen,
  byTender: z.array(z.object({ tender: z.string(), fen })),
});
export type TodayResponse = z.infer<typeof todayResponse>;

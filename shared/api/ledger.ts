import { z } from 'zod';
import { fen, idOf, pageQuery } from './common.js';

/** Event keys name the business event an entry records, such as `sale:ord_01J…` or `return:rtn_01J…`. */
export const journal_event_key_length_max = 128;
export const journal_event_key_pattern = /^[a-z][a-z0-9_]*:[A-Za-z0-9_.:-]+$/;
export const journal_memo_length_max = 200;

/** A business day, YYYY-MM-DD in Asia/Shanghai; the calendar date must exist. */
export const businessDay = z.iso.date();

export const journalEventKey = z
  .string()
  .max(journal_event_key_length_max)
  .regex(journal_event_key_pattern, 'must look like kind:id, e.g. sale:ord_01J…');

function fromNotAfterTo(q: { from?: string | undefined; to?: string | undefined }): boolean {
  return q.from === undefined || q.to === undefined || q.from <= q.to;
}
const rangeIssue = { message: 'from must not be after to', path: ['to'] };

export const trialBalanceQuery = z
  .strictObject({ from: businessDay.optional(), to: businessDay.optional(), storeId: idOf('sto').optional() })
  .refine(fromNotAfterTo, rangeIssue);
export type TrialBalanceQuery = z.infer<typeof trialBalanceQuery>;

export const accountType = z.enum(['asset', 'liability', 'equity', 'revenue', 'expense', 'contra_revenue']);
export const normalSide = z.enum(['debit', 'credit']);

export const trialBalanceLine = z.object({
  /** The stable key modules post to, such as `cash` or `clearing_wechat`. */
  account: z.string(),
  /** The display number, such as 1001 for 库存现金. */
  number: z.string(),
  name: z.string(),
  type: accountType,
  normalSide,
  debitFen: fen,
  creditFen: fen,
  /** Debits minus credits for a debit-normal account, credits minus debits otherwise. */
  balanceFen: fen,
});
export type TrialBalanceLine = z.infer<typeof trialBalanceLine>;

export const trialBalanceResponse = z.object({
  from: businessDay.nullable(),
  to: businessDay.nullable(),
  storeId: idOf('sto').nullable(),
  accounts: z.array(trialBalanceLine),
  /** Equal in a sound ledger: every entry balances on its own. */
  totals: z.object({ debitFen: fen, creditFen: fen }),
});
export type TrialBalanceResponse = z.infer<typeof trialBalanceResponse>;

export const journalEntriesQuery = pageQuery
  .extend({
    cursor: idOf('jnl').optional(),
    eventKey: journalEventKey.optional(),
    from: businessDay.optional(),
    to: businessDay.optional(),
    storeId: idOf('sto').optional(),
  })
  .refine(fromNotAfterTo, rangeIssue);
export type JournalEntriesQuery = z.infer<typeof journalEntriesQuery>;

export const journalLine = z.object({
  lineNo: z.number().int(),
  account: z.string(),
  accountName: z.string(),
  debitFen: fen,
  creditFen: fen,
  memo: z.string().nullable(),
});
export type JournalLine = z.infer<typeof journalLine>;

export const journalEntry = z.object({
  id: idOf('jnl'),
  storeId: idOf('sto').nullable(),
  eventKey: z.string(),
  memo: z.string(),
  businessDate: businessDay,
  occurredAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
  totalFen: fen,
  lines: z.array(journalLine),
});
export type JournalEntry = z.infer<typeof journalEntry>;

export const journalEntryPage = z.object({ items: z.array(journalEntry), nextCursor: idOf('jnl').nullable() });
export type JournalEntryPage = z.infer<typeof journalEntryPage>;

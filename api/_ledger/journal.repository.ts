import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { monotonicFactory } from 'ulid';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import { page_size_default } from '../../shared/api/common.js';
import {
  businessDay,
  journal_event_key_length_max,
  journal_event_key_pattern,
  journal_memo_length_max,
  type JournalEntry,
  type JournalEntryPage,
} from '../../shared/api/ledger.js';
import { ensureChartOfAccounts, isAccountCode, type AccountCode } from './accounts.js';
import { preparedSql } from '../_db/prepared-sql.js';

/** A sale with split tender, discount, rounding, points and cost stays far below this. */
export const journal_lines_per_entry_max = 64;
/** 一百亿元: no shop's single event comes near, and sums over many entries stay exact in a double. */
export const journal_entry_fen_max = 1_000_000_000_000;

export interface PostLine {
  account: AccountCode;
  debitFen?: number;
  creditFen?: number;
  memo?: string;
}

export interface PostEntryInput {
  merchantId: string;
  /** Null for merchant-wide events such as paying a supplier from the bank. */
  storeId?: string | null;
  /** The idempotency key of the business event: `sale:<orderId>`, `return:<returnId>`, … */
  eventKey: string;
  /** The Asia/Shanghai business day the event belongs to, YYYY-MM-DD. */
  businessDate: string;
  /** When the event happened; the database's clock when left out. */
  occurredAt?: Date;
  memo: string;
  lines: PostLine[];
}

export interface PostEntryResult {
  entryId: string;
  /** False when this event was posted before with the same content. */
  created: boolean;
}

interface NormalLine {
  account: AccountCode;
  debitFen: number;
  creditFen: number;
  memo: string | null;
}

const journalUlid = monotonicFactory();

function newEntryId(): string {
  return `jnl_${journalUlid()}`;
}

/**
 * Checks what the modules that post must already guarantee. A failure here
 * is a bug in the caller, not bad input from a user, so it is an assertion:
 * it ends the request with a 500 and the transaction rolls back.
 */
function normalise(input: PostEntryInput): { lines: NormalLine[]; totalFen: number } {
  assert.ok(input.merchantId.length > 0, 'postEntry: merchantId is empty');
  assert.ok(
    input.eventKey.length <= journal_event_key_length_max && journal_event_key_pattern.test(input.eventKey),
    `postEntry: event key ${JSON.stringify(input.eventKey)} must look like kind:id and be at most ${journal_event_key_length_max} characters`,
  );
  assert.ok(businessDay.safeParse(input.businessDate).success, `postEntry: business date ${JSON.stringify(input.businessDate)} is not YYYY-MM-DD`);
  assert.ok(input.memo.length <= journal_memo_length_max, `postEntry: memo is longer than ${journal_memo_length_max} characters`);
  assert.ok(
    input.lines.length >= 2 && input.lines.length <= journal_lines_per_entry_max,
    `postEntry: ${input.eventKey} has ${input.lines.length} lines; an entry has 2 to ${journal_lines_per_entry_max} (journal_lines_per_entry_max)`,
  );
  let debits = 0;
  let credits = 0;
  const lines = input.lines.map((line, i): NormalLine => {
    const debitFen = line.debitFen ?? 0;
    const creditFen = line.creditFen ?? 0;
    assert.ok(isAccountCode(line.account), `postEntry: ${input.eventKey} line ${i + 1}: unknown account ${JSON.stringify(line.account)}`);
    assert.ok(
      Number.isSafeInteger(debitFen) && Number.isSafeInteger(creditFen) && debitFen >= 0 && creditFen >= 0 && (debitFen > 0) !== (creditFen > 0),
      `postEntry: ${input.eventKey} line ${i + 1}: exactly one of debitFen (${debitFen}) and creditFen (${creditFen}) must be a positive integer`,
    );
    assert.ok(line.memo === undefined || line.memo.length <= journal_memo_length_max, `postEntry: ${input.eventKey} line ${i + 1}: memo too long`);
    debits += debitFen;
    credits += creditFen;
    return { account: line.account, debitFen, creditFen, memo: line.memo ?? null };
  });
  assert.ok(debits <= journal_entry_fen_max, `postEntry: ${input.eventKey}: total ${debits} fen is above journal_entry_fen_max`);
  assert.equal(debits, credits, `postEntry: ${input.eventKey} is unbalanced: debits ${debits} fen, credits ${credits} fen`);
  return { lines, totalFen: debits };
}

/**
 * What the entry means in money: the store, the business day and the lines
 * as a multiset of (account, debit, credit). Line order, memos and the time
 * of posting are left out, so a retry that words or orders things
 * differently still matches, while a retry with other amounts does not.
 */
export function contentHash(storeId: string | null, businessDate: string, lines: readonly NormalLine[]): string {
  const canonical = lines
    .map((l) => [l.account, l.debitFen, l.creditFen] as const)
    .sort((a, b) => (a[0] !== b[0] ? (a[0] < b[0] ? -1 : 1) : a[1] !== b[1] ? a[1] - b[1] : a[2] - b[2]));
  return createHash('sha256').update(JSON.stringify(['journal/v1', storeId, businessDate, canonical])).digest('hex');
}

/**
 * Records a business event in the journal, once. The entry goes in with
 * `on conflict do nothing` on (merchant, event key): of concurrent posts of
 * one event, one inserts and the others wait for it to commit, then find its
 * entry and compare content hashes. The database checks the balance again at
 * commit, so nothing this function is handed can leave the books unbalanced.
 */
export async function postEntry(trx: Transaction<DB>, input: PostEntryInput): Promise<PostEntryResult> {
  const { lines, totalFen } = normalise(input);
  const storeId = input.storeId ?? null;
  const hash = contentHash(storeId, input.businessDate, lines);
  const entryId = newEntryId();
  await ensureChartOfAccounts(trx, input.merchantId);
  // The entry and its lines in one round trip; the lines go in only when the entry did.
  const inserted = await preparedSql<{ id: string }>`with e as (
      insert into journal_entries (id, merchant_id, store_id, event_key, content_hash, memo, business_date, occurred_at, line_count, total_fen)
      values (${entryId}, ${input.merchantId}, ${storeId}, ${input.eventKey}, ${hash}, ${input.memo}, ${input.businessDate}, coalesce(${input.occurredAt ?? null}::timestamptz, now()), ${lines.length}, ${totalFen})
      on conflict (merchant_id, event_key) do nothing
      returning id
    ), l as (
      insert into journal_lines (entry_id, line_no, merchant_id, account, debit_fen, credit_fen, memo)
      select e.id, x.n, ${input.merchantId}, x.account, x.debit, x.credit, x.memo
      from e, unnest(${lines.map((l) => l.account)}::text[], ${lines.map((l) => l.debitFen)}::bigint[], ${lines.map((l) => l.creditFen)}::bigint[], ${lines.map((l) => l.memo)}::text[])
        with ordinality as x (account, debit, credit, memo, n)
    )
    select id from e`.execute(trx);
  if (inserted.rows.length > 0) return { entryId, created: true };
  const existing = await trx
    .selectFrom('journal_entries')
    .select(['id', 'content_hash'])
    .where('merchant_id', '=', input.merchantId)
    .where('event_key', '=', input.eventKey)
    .executeTakeFirst();
  assert.ok(existing, `postEntry: ${input.eventKey} conflicted but no entry is visible; is the transaction above read committed?`);
  if (existing.content_hash !== hash) {
    throw new AppError(
      'idempotency_mismatch',
      `event ${input.eventKey} was already booked as entry ${existing.id} with other amounts, accounts, store or date`,
    );
  }
  return { entryId: existing.id, created: false };
}

export interface EntryFilter {
  merchantId: string;
  /** Only entries of these stores; undefined means every entry of the merchant, merchant-wide ones included. */
  storeIds?: readonly string[] | undefined;
  eventKey?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

/** Entries in posting order with their lines, keyset-paged on the entry id. */
export async function listEntries(db: Kysely<DB>, f: EntryFilter): Promise<JournalEntryPage> {
  const limit = f.limit ?? page_size_default;
  let query = db
    .selectFrom('journal_entries')
    .select(['id', 'store_id', 'event_key', 'memo', 'business_date', 'occurred_at', 'created_at', 'total_fen'])
    .where('merchant_id', '=', f.merchantId);
  if (f.storeIds) query = f.storeIds.length > 0 ? query.where('store_id', 'in', f.storeIds) : query.where(sql<boolean>`false`);
  if (f.eventKey) query = query.where('event_key', '=', f.eventKey);
  if (f.from) query = query.where('business_date', '>=', f.from);
  if (f.to) query = query.where('business_date', '<=', f.to);
  if (f.cursor) query = query.where('id', '>', f.cursor);
  const rows = await query.orderBy('id').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const lines =
    page.length === 0
      ? []
      : await db
          .selectFrom('journal_lines as l')
          .innerJoin('ledger_accounts as a', (join) => join.onRef('a.merchant_id', '=', 'l.merchant_id').onRef('a.code', '=', 'l.account'))
          .select(['l.entry_id', 'l.line_no', 'l.account', 'a.name', 'l.debit_fen', 'l.credit_fen', 'l.memo'])
          .where('l.merchant_id', '=', f.merchantId)
          .where(
            'l.entry_id',
            'in',
            page.map((e) => e.id),
          )
          .orderBy('l.entry_id')
          .orderBy('l.line_no')
          .execute();
  const byEntry = new Map<string, JournalEntry['lines']>();
  for (const l of lines) {
    const list = byEntry.get(l.entry_id) ?? [];
    list.push({ lineNo: l.line_no, account: l.account, accountName: l.name, debitFen: l.debit_fen, creditFen: l.credit_fen, memo: l.memo });
    byEntry.set(l.entry_id, list);
  }
  const items = page.map(
    (e): JournalEntry => ({
      id: e.id,
      storeId: e.store_id,
      eventKey: e.event_key,
      memo: e.memo,
      businessDate: e.business_date,
      occurredAt: e.occurred_at.toISOString(),
      createdAt: e.created_at.toISOString(),
      totalFen: e.total_fen,
      lines: byEntry.get(e.id) ?? [],
    }),
  );
  const last = page[page.length - 1];
  return { items, nextCursor: rows.length > limit && last ? last.id : null };
}

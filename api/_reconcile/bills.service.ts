import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DbSession } from '../_db/copy-session.js';
import type { Deps } from '../_kernel/deps.js';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import { newId } from '../../shared/ids.js';
import type { BillChannel, BillLine, BillTotals } from '../../shared/bills/types.js';
import { BillFormatError, BillOwnerMismatch, type ByteChunks, type RawRowSink } from './lines.js';
import { billOwner } from './bill-owner.js';
import { CopyRowBuffer } from './copy-rows.js';
import { reconcile_bill_bytes_max, reconcile_copy_chunk_bytes, reconcile_stage_batch_lines } from './limits.js';
import { dayBounds } from './run.service.js';

export interface StoredBill {
  billId: string;
  replayed: boolean;
  totals: BillTotals;
}

/**
 * Parses a bill as it arrives and stages its lines (COPY, or batched inserts on PGlite), all in one
 * transaction: a bill that turns out malformed, too big or inconsistent with
 * its own totals leaves nothing behind. The same file uploaded again (same
 * SHA-256) is the same bill.
 */
export async function storeBill(deps: Deps, input: { merchantId: string; channel: BillChannel; billDate: string; actorId: string | null; source: 'upload' | 'download'; body: ByteChunks }): Promise<StoredBill> {
  const hash = createHash('sha256');
  let bytes = 0;
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const chunk of input.body) {
      bytes += chunk.length;
      if (bytes > reconcile_bill_bytes_max) throw new AppError('payload_too_large', `账单超过 ${reconcile_bill_bytes_max} 字节上限（reconcile_bill_bytes_max）`);
      hash.update(chunk);
      yield chunk;
    }
  }
  // Whose bill this must be (#18), known before a byte is read: a file with another merchant's rows is refused whole.
  const owner = await billOwner(deps, input.merchantId, input.channel);
  const billId = newId('reconcileBill');
  const { start, end } = dayBounds(input.billDate);
  let sha = '';
  const store = (db: Kysely<DB>, copyIn: DbSession['copyIn'] | null) =>
    db.transaction().execute(async (trx) => {
      const created = await trx
        .insertInto('reconcile_bills')
        .values({ id: billId, merchant_id: input.merchantId, channel: input.channel, bill_date: input.billDate, sha256: 'pending:' + billId, byte_count: 0, line_count: 0, payment_fen: 0, refund_fen: 0, fee_milli: 0, uploaded_by: input.actorId, source: input.source })
        .returning('line_key')
        .executeTakeFirstOrThrow();
      const stager: Stager = copyIn ? copyStager(copyIn, created.line_key) : unnestStager(trx, created.line_key);
      let onDay = 0;
      const countingDays = (raw: RawRowSink): RawRowSink => ({
        row(buf, row) {
          if (row.occurredMs >= start.getTime() && row.occurredMs < end.getTime()) onDay++;
          raw.row(buf, row);
        },
        ready: raw.ready,
      });
      const sink = (l: BillLine) => {
        const t = l.occurredAt.getTime();
        if (t >= start.getTime() && t < end.getTime()) onDay++;
        return stager.add(l);
      };
      let totals: BillTotals;
      try {
        // The parsers (and the Alipay one's unzip and GBK decoder) are loaded with the first bill,
        // not with the function, so a cold start that is not a reconciliation does not read them.
        if (input.channel === 'wechat') {
          const { parseWechatBill } = await import('./wechat-bill.js');
          totals = await parseWechatBill(counted(), sink, stager.raw && countingDays(stager.raw), owner?.channel === 'wechat' ? owner : undefined);
        } else {
          const { parseAlipayBill } = await import('./alipay-bill.js');
          totals = await parseAlipayBill(counted(), sink, undefined, owner?.channel === 'alipay' ? owner : undefined);
        }
        if (bytes === 0) throw new BillFormatError('账单为空');
        // Rows are dated by when the money moved, so a bill for the chosen day has rows on that day.
        if (totals.lines > 0 && onDay === 0) throw new BillFormatError(`账单里没有 ${input.billDate} 的交易，请确认账单日期`);
      } catch (e) {
        await stager.abort(e instanceof Error ? e : new Error(String(e)));
        throw e;
      }
      await stager.finish();
      sha = hash.digest('hex');
      const existing = await trx.selectFrom('reconcile_bills').select('id').where('merchant_id', '=', input.merchantId).where('channel', '=', input.channel).where('bill_date', '=', input.billDate).where('sha256', '=', sha).executeTakeFirst();
      if (existing) throw new Replayed(existing.id, totals, input.source);
      await trx
        .updateTable('reconcile_bills')
        .set({ sha256: sha, byte_count: bytes, line_count: totals.lines, refund_line_count: totals.refunds, payment_fen: totals.paymentFen, refund_fen: totals.refundFen, fee_milli: totals.feeMilliFen })
        .where('id', '=', billId)
        .execute();
      return { billId, replayed: false, totals };
    });
  try {
    // COPY where the driver has it (pg, Neon); PGlite stages in batches.
    return deps.dbSession ? await deps.dbSession((session) => store(session.db, session.copyIn)) : await store(deps.db, null);
  } catch (e) {
    if (e instanceof Replayed) {
      // A file first uploaded by hand and then fetched from the platform, byte for byte, is the platform's bill.
      if (e.source === 'download') await deps.db.updateTable('reconcile_bills').set({ source: 'download' }).where('id', '=', e.billId).execute();
      return { billId: e.billId, replayed: true, totals: e.totals };
    }
    // The same file uploaded twice at once: the other upload committed first, so this one is its replay.
    if (isUniqueViolation(e) && sha !== '') {
      const other = await deps.db.selectFrom('reconcile_bills').select(['id', 'line_count', 'payment_fen', 'refund_fen', 'fee_milli']).where('merchant_id', '=', input.merchantId).where('channel', '=', input.channel).where('bill_date', '=', input.billDate).where('sha256', '=', sha).executeTakeFirst();
      if (other) return { billId: other.id, replayed: true, totals: { lines: other.line_count, payments: 0, refunds: 0, paymentFen: Number(other.payment_fen), refundFen: Number(other.refund_fen), feeMilliFen: Number(other.fee_milli) } };
    }
    if (e instanceof BillOwnerMismatch) throw new AppError('validation_failed', `账单不属于本商户，已拒收：${e.message}`, [{ path: 'bill', message: e.message }]);
    if (e instanceof BillFormatError) throw new AppError('validation_failed', `账单格式错误：${e.message}`);
    throw e;
  }
}

function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: string }).code === '23505';
}

/** Rolls the staging back when the same bill is already stored, and carries its id out. */
class Replayed extends Error {
  constructor(
    readonly billId: string,
    readonly totals: BillTotals,
    readonly source: 'upload' | 'download',
  ) {
    super('replayed');
  }
}

/** Where parsed lines go: added one at a time (a promise when the database wants a pause), then finished or abandoned. */
interface Stager {
  add(line: BillLine): void | Promise<void>;
  /** Takes WeChat rows as bytes, when the stager can. */
  raw?: RawRowSink;
  finish(): Promise<void>;
  abort(reason: Error): Promise<void>;
}

const stage_columns = '(bill_key, line_no, kind, out_no, out_trade_no, platform_no, occurred_at, amount_fen, status, fee_milli)';

/**
 * Lines as COPY text rows, written into a buffer and sent in pieces of about
 * reconcile_copy_chunk_bytes, waiting whenever the connection's buffer is
 * full, so the bill streams through without piling up in memory however
 * large it is. WeChat rows come as bytes (`raw`) and are copied across
 * without becoming strings; other lines are encoded from their objects.
 */
function copyStager(copyIn: DbSession['copyIn'], billKey: number): Stager & { raw: RawRowSink } {
  const copy = copyIn(`copy reconcile_bill_lines ${stage_columns} from stdin`);
  const out = new CopyRowBuffer(billKey);
  let waiting: Promise<void> | null = null;
  let failure: unknown = null;
  const send = (): boolean => {
    if (out.length < reconcile_copy_chunk_bytes) return false;
    const chunk = out.take();
    // Parsing goes on while the chunk is sent; the next `ready()` waits for the connection to drain.
    const sent = (waiting ?? Promise.resolve()).then(() => copy.write(chunk));
    waiting = sent.catch((e) => {
      failure ??= e;
    });
    return true;
  };
  const ready = async () => {
    if (waiting) await waiting;
    waiting = null;
    if (failure) throw failure;
  };
  return {
    add(l) {
      out.line(l);
      return send() ? ready() : undefined;
    },
    raw: {
      row(buf, row) {
        out.raw(buf, row);
        send();
      },
      ready,
    },
    async finish() {
      await ready();
      if (out.length > 0) await copy.write(out.take());
      await copy.end();
    },
    async abort(reason) {
      await waiting;
      await copy.abort(reason);
    },
  };
}

/** One INSERT … SELECT FROM unnest per batch: ten array parameters whatever the batch size (PGlite, which has no COPY from a stream). */
function unnestStager(trx: Transaction<DB>, billKey: number): Stager {
  let batch: BillLine[] = [];
  let lineNo = 0;
  const flush = async () => {
    const lines = batch;
    batch = [];
    if (lines.length === 0) return;
    const firstNo = lineNo;
    lineNo += lines.length;
    const col = <T>(f: (l: BillLine, i: number) => T) => lines.map(f);
    await sql`insert into reconcile_bill_lines ${sql.raw(stage_columns)}
      select ${billKey}::bigint, * from unnest(
        ${col((_, i) => firstNo + i + 1)}::int[], ${col((l) => l.kind)}::text[], ${col((l) => l.outNo)}::text[], ${col((l) => (l.kind === 'payment' ? null : l.outTradeNo))}::text[],
        ${col((l) => l.platformNo)}::text[], ${col((l) => l.occurredAt.toISOString())}::timestamptz[], ${col((l) => l.amountFen)}::bigint[],
        ${col((l) => l.status)}::text[], ${col((l) => l.feeMilliFen)}::bigint[])`.execute(trx);
  };
  return {
    add(l) {
      batch.push(l);
      if (batch.length >= reconcile_stage_batch_lines) return flush();
    },
    finish: flush,
    abort: async () => {},
  };
}

/** A web ReadableStream as the chunks the parsers read. */
export async function* streamChunks(stream: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
  if (!stream) return;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    if (value) yield value;
  }
}

import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { fenToYuan } from '../../shared/money.js';
import { csvField, csvLine, utf8_bom } from './csv.js';
import { columnHeaders, isMoneyColumn, table_titles } from './export-names.js';

/** Rows read per query while exporting one table. */
export const export_batch_rows = 2000;
/** Bytes the response may hold unread before the export waits for the phone. */
export const export_buffer_bytes_max = 1 << 20;

/**
 * Left out of the owner's export: the platforms' raw notification bodies and
 * the buyer ids the platforms gave us (WeChat openid, Alipay buyer_id and
 * buyer_logon_id). They identify the shop's customers to the platform's app,
 * which is the deployment's rather than the shop's, and a file on an owner's
 * phone is no place for them; everything about the money stays in.
 */
export const export_excluded_tables: readonly string[] = ['payment_notifications'];
export const export_excluded_columns: Readonly<Record<string, readonly string[]>> = {
  payments: ['payer_id'],
  members: ['wechat_openid', 'alipay_user_id'],
  // The owner's own platform id, kept only to answer a repeated sign-up.
  merchant_sign_ups: ['open_id'],
  // The sealed Alipay tokens (#18) are the right to take payments as the merchant: they stay on the server, sealed.
  merchant_payment_accounts: ['app_auth_token_sealed', 'app_refresh_token_sealed'],
};

/** The first line of 说明.csv: how to read every file. */
const readme_note = '本文件：列出每个文件的内容和行数。各文件的金额单位为元（两位小数），时间为北京时间；「编号」列可在文件之间对照（如订单明细的「订单编号」对应订单的「编号」）。';

/** Postgres types whose values are written as numbers, not as text. */
const numeric_types: ReadonlySet<string> = new Set(['smallint', 'integer', 'bigint', 'numeric', 'real', 'double precision']);

interface ExportTable {
  table: string;
  columns: string[];
  /** Columns of a numeric type: written bare, so a negative amount stays a number rather than defused text. */
  numeric: ReadonlySet<string>;
}

/** The tables and columns the export writes: every merchant table less what is left out above. */
function exportedTables(tables: ExportTable[]): ExportTable[] {
  return tables
    .filter((t) => !export_excluded_tables.includes(t.table))
    .map((t) => ({ ...t, columns: t.columns.filter((c) => !(export_excluded_columns[t.table] ?? []).includes(c)) }));
}

/**
 * Every table of the schema that has a merchant_id column, found at export
 * time, so tables that later modules add are exported without a change here.
 */
export async function merchantTables(db: Kysely<DB> | Transaction<DB>): Promise<ExportTable[]> {
  const { rows } = await sql<{ table_name: string; column_name: string; data_type: string }>`
    select c.table_name, c.column_name, c.data_type from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where c.table_schema = current_schema()
      and c.table_name in (select table_name from information_schema.columns where table_schema = current_schema() and column_name = 'merchant_id')
    order by c.table_name, c.ordinal_position`.execute(db);
  const byTable = new Map<string, { columns: string[]; numeric: Set<string> }>();
  for (const r of rows) {
    const t = byTable.get(r.table_name) ?? { columns: [], numeric: new Set<string>() };
    t.columns.push(r.column_name);
    if (numeric_types.has(r.data_type)) t.numeric.add(r.column_name);
    byTable.set(r.table_name, t);
  }
  return [...byTable].map(([table, t]) => ({ table, ...t }));
}

/** The readme the zip carries, written last because it counts each file's rows. */
export const export_readme_file = '说明.csv';

/** Beijing time as the reports show it: "2026-11-23 14:05:09". */
const beijingTime = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return beijingTime.format(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export interface ExportSink {
  push(chunk: Uint8Array): void;
  /** Resolves when the reader has room for more. */
  ready(): Promise<void>;
}

/** A cell: amounts in fen as yuan with two decimals (a bare number), everything else as text. */
function cell(t: { numeric: ReadonlySet<string> }, column: string, v: unknown): string {
  if (t.numeric.has(column) && isMoneyColumn(column) && v !== null && v !== undefined) return csvField(fenToYuan(Number(v)), false);
  return csvField(text(v), !t.numeric.has(column));
}

/**
 * Writes the merchant's data as a zip of CSV files, one per table (named by
 * the table, so a file keeps its name across versions), with Chinese column
 * headers, amounts in yuan as the reports show them and times in Beijing time,
 * plus merchants.csv with the merchant's own row and 说明.csv saying what each
 * file holds and how many rows it has. Read in one repeatable-read transaction
 * so the files agree with each other. Tables are read in batches by physical row order
 * (ctid), so no table is held in memory whole.
 */
export async function writeMerchantZip(db: Kysely<DB>, merchantId: string, sink: ExportSink): Promise<{ tables: number; rows: number }> {
  // fflate is loaded with the first export rather than on every cold start.
  const { Zip, ZipDeflate } = await import('fflate');
  let failed: Error | null = null;
  const zip = new Zip((err, chunk) => {
    if (err) failed = err;
    else sink.push(chunk);
  });
  const encoder = new TextEncoder();
  let total = 0;
  let tableCount = 0;
  const readme: string[][] = [];
  await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const tables = exportedTables(await merchantTables(trx));
      const all = [{ table: 'merchants', columns: ['id', 'name', 'created_at'], numeric: new Set<string>(), key: 'id' }, ...tables.map((t) => ({ ...t, key: 'merchant_id' }))];
      for (const t of all) {
        const file = new ZipDeflate(`${t.table}.csv`, { level: 6 });
        zip.add(file);
        file.push(encoder.encode(utf8_bom + csvLine(columnHeaders(t.columns).map((h) => csvField(h, true)))));
        let rowCount = 0;
        let after = '(0,0)';
        for (;;) {
          const { rows } = await sql<Record<string, unknown>>`select ctid::text as export_ctid, * from ${sql.table(t.table)}
            where ${sql.ref(t.key)} = ${merchantId} and ctid > ${after}::tid order by ctid limit ${export_batch_rows}`.execute(trx);
          if (rows.length === 0) break;
          let chunk = '';
          for (const r of rows) chunk += csvLine(t.columns.map((c) => cell(t, c, r[c])));
          file.push(encoder.encode(chunk));
          total += rows.length;
          rowCount += rows.length;
          after = String(rows[rows.length - 1]!.export_ctid);
          if (failed) throw failed;
          await sink.ready();
          if (rows.length < export_batch_rows) break;
        }
        file.push(new Uint8Array(0), true);
        tableCount++;
        readme.push([`${t.table}.csv`, table_titles[t.table] ?? '', String(rowCount)]);
      }
      const file = new ZipDeflate(export_readme_file, { level: 6 });
      zip.add(file);
      const lines = [['文件', '内容', '行数'], [export_readme_file, readme_note, ''], ...readme];
      file.push(encoder.encode(utf8_bom + lines.map((l) => csvLine(l.map((v, i) => csvField(v, i < 2)))).join('')), true);
    });
  zip.end();
  if (failed) throw failed;
  return { tables: tableCount, rows: total };
}

/** The zip as a web stream for a response body, with backpressure from the reader. */
export function merchantZipStream(db: Kysely<DB>, merchantId: string): ReadableStream<Uint8Array> {
  let waiting: (() => void) | null = null;
  let cancelled = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const sink: ExportSink = {
          push: (chunk) => controller.enqueue(chunk),
          ready: async () => {
            if ((controller.desiredSize ?? 1) <= 0 && !cancelled) await new Promise<void>((r) => (waiting = r));
            // A reader that went away ends the export, and its transaction, at the next batch.
            if (cancelled) throw new Error('export cancelled by the reader');
          },
        };
        writeMerchantZip(db, merchantId, sink).then(
          () => controller.close(),
          (e) => {
            if (!cancelled) controller.error(e);
          },
        );
      },
      pull() {
        const w = waiting;
        waiting = null;
        w?.();
      },
      cancel() {
        cancelled = true;
        const w = waiting;
        waiting = null;
        w?.();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: export_buffer_bytes_max }),
  );
}

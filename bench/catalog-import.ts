import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { startPostgres } from '../tools/testenv/postgres';
import { ean13 } from '../shared/barcode';
import { newId } from '../shared/ids';
import { catalogColumns } from '../shared/catalog/sheet';
import { growCatalog } from './barcode';
import { startChild } from './child';
import { figure, type Figure } from './figure';

export const import_rows = 20_000;
export const catalog_import_ratio_max = 3;
export const catalog_import_peak_rss_mb_max = 400;

interface StackInfo {
  url: string;
  token: string;
  storeId: string;
}

/** Every fourth row comes with opening stock (期初库存), so the import also books 5,000 stock movements and their journal entry. */
export const opening_every_rows = 4;
const openingQtyOf = (i: number) => (i % opening_every_rows === 0 ? 1 + (i % 40) : 0);

/** 20,000 new SKUs: products of one to three sizes, all in a category the demo shop has. */
async function sheetBytes(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('商品资料');
  ws.addRow(catalogColumns.map((c) => c.title));
  for (let i = 0; i < import_rows; i++) {
    const product = Math.floor(i / 3);
    const size = ['S', 'M', 'L'][i % 3];
    const opening = openingQtyOf(i);
    ws.addRow(['饮料', `导入商品${product}`, '件', `尺码:${size}`, ean13(`68${String(i).padStart(10, '0')}`), 12.5 + (i % 7), 11.9, 6.3, '在售', opening === 0 ? '' : opening]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The peak resident memory of a process so far (Linux VmHWM), in MB. */
async function peakRssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/**
 * The floor: exceljs reading the same file with the same streaming reader,
 * then COPY of the same rows into a table of the skus' shape, on one held
 * connection: what any import must at least do, with no checks, no products
 * and no HTTP.
 */
async function floorSeconds(url: string, bytes: Buffer): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create temporary table floor_skus (id text, merchant_id text, product_id text, barcode text, spec jsonb, retail_price_fen bigint, member_price_fen bigint, cost_fen bigint, active boolean)`);
    const started = performance.now();
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), { sharedStrings: 'cache', styles: 'ignore', hyperlinks: 'ignore', worksheets: 'emit' });
    const lines: string[] = [];
    for await (const sheet of reader) {
      let first = true;
      for await (const row of sheet) {
        if (first) {
          first = false;
          continue;
        }
        const v = row.values as unknown[];
        const spec = JSON.stringify({ 尺码: String(v[4]).split(':')[1] });
        lines.push([newId('sku'), 'mch', 'prd', v[5], spec, Math.round(Number(v[6]) * 100), Math.round(Number(v[7]) * 100), Math.round(Number(v[8]) * 100), 't'].join('\t'));
      }
      break;
    }
    await pipeline(Readable.from([lines.join('\n') + '\n']), client.query(copyFrom('copy floor_skus from stdin')));
    return (performance.now() - started) / 1000;
  } finally {
    await client.end();
  }
}

/**
 * catalog_import_20k_s: a 20,000-row XLSX imported through the API (upload,
 * parse, check against the catalog, write in one transaction) into a
 * merchant that already has 20,000 SKUs, a quarter of the rows with opening
 * stock booked into the demo store, on Postgres; against the floor
 * above in the same run. Target: within 3× of the floor, the server's peak
 * RSS under 400 MB.
 */
export async function catalogImportBench(): Promise<Figure[]> {
  const server = await startPostgres({ database: 'guitai_bench_import' });
  try {
    const stack = await startChild<StackInfo>('./servers/stack.ts', { BENCH_DATABASE_URL: server.url, BENCH_LOGIN: 'o_demo_owner' });
    try {
      const existing = await growCatalog(server.url, stack.info.storeId);
      const bytes = await sheetBytes();
      const rssBefore = await peakRssMb(stack.pid);
      const started = performance.now();
      const res = await fetch(`${stack.info.url}/api/catalog/imports?importId=${newId('catalogImport')}&apply=true`, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.info.token}`, 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
        body: new Uint8Array(bytes),
      });
      const seconds = (performance.now() - started) / 1000;
      const answer = (await res.json()) as { counts?: { newSkus: number; openingUnits: number }; error?: unknown };
      const units = Array.from({ length: import_rows }, (_, i) => openingQtyOf(i)).reduce((a, b) => a + b, 0);
      if (res.status !== 201 || answer.counts?.newSkus !== import_rows || answer.counts.openingUnits !== units) throw new Error(`catalog import bench: ${res.status} ${JSON.stringify(answer).slice(0, 400)}`);
      const peak = await peakRssMb(stack.pid);
      const floor = await floorSeconds(server.url, bytes);
      return [
        figure('catalog_import_20k_s', 's', seconds, floor, { target_ratio_max: catalog_import_ratio_max, rows: import_rows, opening_units: units, existing_skus: existing.length, file_kb: Math.round(bytes.length / 1024) }),
        figure('catalog_import_peak_rss_mb', 'MB', peak, catalog_import_peak_rss_mb_max, { before_import_mb: Math.round(rssBefore) }),
      ];
    } finally {
      stack.stop();
    }
  } finally {
    await new Promise((r) => setTimeout(r, 500));
    await server.stop();
  }
}

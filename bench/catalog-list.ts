import { startChild } from './child';
import { figure, type Figure } from './figure';
import { load } from './load';

/**
 * catalog_list: a page of 40 products with SKUs and stock through the whole
 * stack (HTTP, token check, principal from the database, two queries, zod
 * schemas on the way in) against node:http sending a body of the same size.
 */
export async function catalogList(): Promise<Figure> {
  const stack = await startChild<{ url: string; token: string; storeId: string; driver: string }>('./servers/stack.ts');
  try {
    const url = `${stack.info.url}/api/stores/${stack.info.storeId}/products?limit=40`;
    const headers = { authorization: `Bearer ${stack.info.token}` };
    const sample = await fetch(url, { headers });
    if (sample.status !== 200) throw new Error(`catalog list answered ${sample.status}`);
    const body = await sample.text();
    const measured = await load(url, headers);
    if (measured.errors > 0 || measured.non2xx > 0) throw new Error(`catalog list had ${measured.errors} errors and ${measured.non2xx} non-2xx answers`);
    const bare = await startChild<{ url: string }>('./servers/bare.ts', { BARE_BODY: body });
    try {
      const floor = await load(bare.info.url);
      return figure('catalog_list', 'req/s', measured.requestsPerSecond, floor.requestsPerSecond, {
        p99_ms: measured.p99Ms,
        floor_p99_ms: floor.p99Ms,
        body_bytes: Buffer.byteLength(body),
        db: stack.info.driver,
      });
    } finally {
      bare.stop();
    }
  } finally {
    stack.stop();
  }
}

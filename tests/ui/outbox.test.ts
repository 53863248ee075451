import { describe, expect, it } from 'vitest';
import type { CheckoutRequest } from '../../shared/api/orders';
import { demoReceipt } from '../../shared/receipt/receipt.fixture';
import {
  Outbox,
  batchesOf,
  nextDeviceReceiptNo,
  outbox_index_key,
  outbox_shard_bytes_max,
  outbox_shard_key_prefix,
  syncOutbox,
  utf8Bytes,
  type KeyValue,
  type OutboxEntry,
  type SyncOutcome,
} from '../../src/services/outbox';

const key_bytes_max_platform = 1024 * 1024;

class MemoryKv implements KeyValue {
  readonly map = new Map<string, string>();
  writes = 0;
  get(key: string) {
    return this.map.get(key);
  }
  set(key: string, value: string) {
    // The mini-program refuses a value over 1 MB; a shard must never come close.
    expect(utf8Bytes(value)).toBeLessThanOrEqual(key_bytes_max_platform);
    this.writes++;
    this.map.set(key, value);
  }
  remove(key: string) {
    this.map.delete(key);
  }
}

function ulidLike(n: number): string {
  const digits = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let s = '';
  for (let i = 0, x = n; i < 26; i++, x = Math.floor(x / 32)) s = (digits[x % 32] ?? '0') + s;
  return s;
}

function entry(kv: KeyValue, n: number): OutboxEntry {
  const receiptNo = nextDeviceReceiptNo(kv, 'GTTEST0001');
  const billedAt = new Date(Date.UTC(2026, 10, 23, 2, 0, n)).toISOString();
  const request: CheckoutRequest = {
    clientOrderId: `ord_${ulidLike(n)}`,
    storeId: `sto_${ulidLike(1)}`,
    lines: [{ skuId: `sku_${ulidLike(n % 7)}`, qty: 1 + (n % 3) }],
    tenders: [{ method: 'cash', amountFen: 10000 }],
    expectedTotalFen: 1000 + n,
    deviceId: 'GTTEST0001',
    offline: { receiptNo, billedAt },
  };
  return { id: request.clientOrderId, receiptNo, billedAt, request, receipt: demoReceipt, status: 'pending' };
}

/** A server that applies each clientOrderId once and replays it afterwards, as POST /api/sync/orders does. */
class FakeServer {
  readonly applied = new Map<string, CheckoutRequest>();
  readonly createdCount = new Map<string, number>();
  /** Cut the connection after applying this many orders of the next batch (the answer is lost). */
  cutAfter: number | null = null;
  batches = 0;

  send = async (orders: CheckoutRequest[]): Promise<SyncOutcome[]> => {
    this.batches++;
    expect(orders.length).toBeLessThanOrEqual(50);
    const results: SyncOutcome[] = [];
    for (const [i, o] of orders.entries()) {
      if (this.cutAfter !== null && i === this.cutAfter) {
        this.cutAfter = null;
        throw new Error('connection reset');
      }
      if (this.applied.has(o.clientOrderId)) {
        results.push({ clientOrderId: o.clientOrderId, outcome: 'replayed' });
      } else if (o.expectedTotalFen === 1000 + 13) {
        results.push({ clientOrderId: o.clientOrderId, outcome: 'rejected', error: { code: 'price_mismatch', message: '应收金额已变化' } });
      } else {
        this.applied.set(o.clientOrderId, o);
        this.createdCount.set(o.clientOrderId, (this.createdCount.get(o.clientOrderId) ?? 0) + 1);
        results.push({ clientOrderId: o.clientOrderId, outcome: 'applied' });
      }
    }
    return results;
  };
}

describe('outbox', () => {
  it('numbers receipts per device without reuse', () => {
    const kv = new MemoryKv();
    expect(nextDeviceReceiptNo(kv, 'GTABC')).toBe('GTABC-000001');
    expect(nextDeviceReceiptNo(kv, 'GTABC')).toBe('GTABC-000002');
    expect(nextDeviceReceiptNo(new MemoryKv(), 'GTABC')).toBe('GTABC-000001');
  });

  it('counts UTF-8 bytes like the platform', () => {
    expect(utf8Bytes('abc')).toBe(3);
    expect(utf8Bytes('离线单')).toBe(9);
    expect(utf8Bytes('😀')).toBe(4);
  });

  it('splits batches of at most 50', () => {
    expect(batchesOf(Array.from({ length: 101 }, (_, i) => i)).map((b) => b.length)).toEqual([50, 50, 1]);
    expect(batchesOf([])).toEqual([]);
  });

  it('shards entries under the per-key limit and keeps their order', () => {
    const kv = new MemoryKv();
    const outbox = new Outbox(kv, { shardBytesMax: 8 * 1024, totalBytesMax: 1024 * 1024 });
    for (let i = 0; i < 60; i++) expect(outbox.add(entry(kv, i)).ok).toBe(true);
    const shardKeys = [...kv.map.keys()].filter((k) => k.startsWith(outbox_shard_key_prefix));
    expect(shardKeys.length).toBeGreaterThan(1);
    for (const k of shardKeys) expect(utf8Bytes(kv.map.get(k) ?? '')).toBeLessThanOrEqual(8 * 1024);
    expect(outbox.list().map((e) => e.receiptNo)).toEqual(Array.from({ length: 60 }, (_, i) => `GTTEST0001-${String(i + 1).padStart(6, '0')}`));
  });

  it('refuses to bill offline past the total limit, with a message', () => {
    const kv = new MemoryKv();
    const outbox = new Outbox(kv, { shardBytesMax: 8 * 1024, totalBytesMax: 20 * 1024 });
    let refused = null;
    for (let i = 0; i < 100 && !refused; i++) {
      const r = outbox.add(entry(kv, i));
      if (!r.ok) refused = r;
    }
    expect(refused).toMatchObject({ ok: false, reason: 'full' });
    expect(outbox.totalBytes()).toBeLessThanOrEqual(20 * 1024);
  });

  it('refuses one entry larger than a shard', () => {
    const kv = new MemoryKv();
    const outbox = new Outbox(kv, { shardBytesMax: 1024, totalBytesMax: 1024 * 1024 });
    expect(outbox.add(entry(kv, 1))).toMatchObject({ ok: false, reason: 'too_large' });
  });

  it('syncs 1,000 orders through two interruptions: none lost, none applied twice', async () => {
    const kv = new MemoryKv();
    const outbox = new Outbox(kv);
    for (let i = 0; i < 1000; i++) expect(outbox.add(entry(kv, i)).ok).toBe(true);
    for (const [k, v] of kv.map) if (k.startsWith(outbox_shard_key_prefix)) expect(utf8Bytes(v)).toBeLessThanOrEqual(outbox_shard_bytes_max);
    const ids = outbox.list().map((e) => e.id);
    expect(new Set(ids).size).toBe(1000);

    const server = new FakeServer();
    // First cut: mid-way through the third batch, after 20 of its orders were applied.
    let batchesSeen = 0;
    const send = async (orders: CheckoutRequest[]) => {
      batchesSeen++;
      if (batchesSeen === 3) server.cutAfter = 20;
      return server.send(orders);
    };
    const first = await syncOutbox(outbox, send);
    expect(first.interrupted).toBe(true);
    // Two whole batches, less the one order the server rejects (number 13).
    expect(first).toMatchObject({ synced: 99, rejected: 1 });
    expect(outbox.pending()).toHaveLength(900);

    // Second cut: the very first batch of the resumed sync, after 45 orders.
    server.cutAfter = 45;
    const second = await syncOutbox(outbox, server.send);
    expect(second.interrupted).toBe(true);
    expect(second.synced).toBe(0);

    const third = await syncOutbox(outbox, server.send);
    expect(third.interrupted).toBe(false);
    expect(third.remaining).toBe(0);
    expect(first.synced + second.synced + third.synced).toBe(999);

    // Every order reached the server exactly once as a new order, except the one it rejected.
    expect(server.applied.size).toBe(999);
    for (const count of server.createdCount.values()) expect(count).toBe(1);
    const rejected = outbox.list();
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ status: 'rejected', rejection: { code: 'price_mismatch' } });
    for (const id of ids) expect(server.applied.has(id) || rejected[0]?.id === id).toBe(true);
    expect(JSON.parse(kv.map.get(outbox_index_key) ?? '{}').shards).toHaveLength(1);
  });

  it('drops an order the server already has from an online attempt whose answer was lost', async () => {
    const kv = new MemoryKv();
    const outbox = new Outbox(kv);
    outbox.add({ ...entry(kv, 1), triedOnline: true });
    const report = await syncOutbox(
      outbox,
      async (orders) => orders.map((o) => ({ clientOrderId: o.clientOrderId, outcome: 'rejected' as const, error: { code: 'idempotency_mismatch', message: '' } })),
      { existsOnServer: async () => true },
    );
    expect(report).toMatchObject({ synced: 1, rejected: 0, remaining: 0 });
    expect(outbox.list()).toEqual([]);
  });

  it('retries a rejected order when the assistant asks', async () => {
    const kv = new MemoryKv();
    const outbox = new Outbox(kv);
    const e = entry(kv, 13);
    outbox.add(e);
    const server = new FakeServer();
    await syncOutbox(outbox, server.send);
    expect(outbox.find(e.id)?.status).toBe('rejected');
    outbox.retry(e.id);
    expect(outbox.pending()).toHaveLength(1);
  });
});

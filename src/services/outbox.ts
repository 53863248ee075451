import type { CheckoutRequest } from '../../shared/api/orders';
import { sync_batch_orders_max } from '../../shared/api/sync';
import type { Receipt } from '../../shared/receipt/model';

/**
 * The offline outbox (本地备份模式): cash sales billed while the server is
 * out of reach, kept on the device until they sync. Pure: storage comes in
 * as a KeyValue, the network as a send function, so tests run it in memory.
 *
 * Mini-program storage allows 10 MB in all and 1 MB per key, so entries are
 * packed into shards of at most outbox_shard_bytes_max each, listed by an
 * index key. Past outbox_total_bytes_max the counter refuses to bill offline.
 */

/** Well under the 1 MB a key may hold, so a shard never fails to write for its size. */
export const outbox_shard_bytes_max = 200 * 1024;
/** Leaves most of the 10 MB for the session, the catalog cache and other pages. */
export const outbox_total_bytes_max = 4 * 1024 * 1024;
export const outbox_receipt_seq_digits = 6;

export const outbox_index_key = 'guitai.outbox.index';
export const outbox_shard_key_prefix = 'guitai.outbox.shard.';
export const outbox_seq_key = 'guitai.outbox.seq';

export interface KeyValue {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  remove(key: string): void;
}

export interface OutboxEntry {
  /** The clientOrderId: the same on every resend, so the server replays rather than bills twice. */
  id: string;
  /** `<deviceId>-<n>`, printed on the 离线单 and sent as offline.receiptNo. */
  receiptNo: string;
  billedAt: string;
  request: CheckoutRequest;
  /** Laid out on the device, shown until the server's receipt exists. */
  receipt: Receipt;
  status: 'pending' | 'rejected';
  rejection?: { code: string; message: string };
  /** The sale was first tried online and the answer was lost; the server may already have it. */
  triedOnline?: boolean;
}

interface OutboxIndex {
  shards: number[];
  nextShard: number;
}

export type AddOutcome = { ok: true } | { ok: false; reason: 'full' | 'too_large'; message: string };

/** UTF-8 length without TextEncoder, which older mini-program engines lack. */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function parse<T>(raw: string | undefined, fallback: T): T {
  if (raw === undefined || raw === '') return fallback;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return fallback;
  }
}

export class Outbox {
  constructor(
    private readonly kv: KeyValue,
    private readonly limits = { shardBytesMax: outbox_shard_bytes_max, totalBytesMax: outbox_total_bytes_max },
  ) {}

  private index(): OutboxIndex {
    return parse<OutboxIndex>(this.kv.get(outbox_index_key), { shards: [], nextShard: 0 });
  }

  private shard(n: number): OutboxEntry[] {
    return parse<OutboxEntry[]>(this.kv.get(outbox_shard_key_prefix + n), []);
  }

  list(): OutboxEntry[] {
    return this.index().shards.flatMap((n) => this.shard(n));
  }

  pending(): OutboxEntry[] {
    return this.list().filter((e) => e.status === 'pending');
  }

  totalBytes(): number {
    return this.index().shards.reduce((sum, n) => sum + utf8Bytes(this.kv.get(outbox_shard_key_prefix + n) ?? ''), 0);
  }

  /** Appends to the last shard when it fits, else opens a new one. The shard is written before the index names it. */
  add(entry: OutboxEntry): AddOutcome {
    const entryBytes = utf8Bytes(JSON.stringify(entry));
    // Two bytes for the brackets of a new shard's array.
    if (entryBytes + 2 > this.limits.shardBytesMax) return { ok: false, reason: 'too_large', message: '这一单太大，无法离线保存，请拆成几单' };
    if (this.totalBytes() + entryBytes + 2 > this.limits.totalBytesMax) {
      return { ok: false, reason: 'full', message: '离线单已存满，请联网同步后再开单' };
    }
    const index = this.index();
    const last = index.shards[index.shards.length - 1];
    if (last !== undefined) {
      const entries = this.shard(last);
      const next = JSON.stringify([...entries, entry]);
      if (utf8Bytes(next) <= this.limits.shardBytesMax) {
        this.kv.set(outbox_shard_key_prefix + last, next);
        return { ok: true };
      }
    }
    const n = index.nextShard;
    this.kv.set(outbox_shard_key_prefix + n, JSON.stringify([entry]));
    this.kv.set(outbox_index_key, JSON.stringify({ shards: [...index.shards, n], nextShard: n + 1 }));
    return { ok: true };
  }

  /** Rewrites only the shards whose entries change; empty shards are dropped from the index, then removed. */
  private rewrite(change: (entry: OutboxEntry) => OutboxEntry | null): void {
    const index = this.index();
    const kept: number[] = [];
    const emptied: number[] = [];
    for (const n of index.shards) {
      const before = this.shard(n);
      let changed = false;
      const after: OutboxEntry[] = [];
      for (const e of before) {
        const next = change(e);
        if (next !== e) changed = true;
        if (next) after.push(next);
      }
      if (after.length === 0) emptied.push(n);
      else {
        kept.push(n);
        if (changed) this.kv.set(outbox_shard_key_prefix + n, JSON.stringify(after));
      }
    }
    if (emptied.length > 0) {
      this.kv.set(outbox_index_key, JSON.stringify({ shards: kept, nextShard: index.nextShard }));
      for (const n of emptied) this.kv.remove(outbox_shard_key_prefix + n);
    }
  }

  remove(ids: ReadonlySet<string>): void {
    if (ids.size > 0) this.rewrite((e) => (ids.has(e.id) ? null : e));
  }

  reject(rejections: ReadonlyMap<string, { code: string; message: string }>): void {
    if (rejections.size === 0) return;
    this.rewrite((e) => {
      const r = rejections.get(e.id);
      return r ? { ...e, status: 'rejected', rejection: r } : e;
    });
  }

  /** Puts a rejected order back in the queue, after the assistant fixed the cause (e.g. a member or a price). */
  retry(id: string): void {
    this.rewrite((e) => {
      if (e.id !== id || e.status !== 'rejected') return e;
      const { rejection: _r, ...rest } = e;
      return { ...rest, status: 'pending' };
    });
  }

  find(id: string): OutboxEntry | undefined {
    return this.list().find((e) => e.id === id);
  }
}

/**
 * The next device receipt number. The counter is stored before the number is
 * used, so a number is never handed out twice, even if saving the sale fails.
 */
export function nextDeviceReceiptNo(kv: KeyValue, deviceId: string): string {
  const last = Number(kv.get(outbox_seq_key) ?? '0');
  const n = (Number.isSafeInteger(last) && last >= 0 ? last : 0) + 1;
  kv.set(outbox_seq_key, String(n));
  return `${deviceId}-${String(n).padStart(outbox_receipt_seq_digits, '0')}`;
}

export type SyncOutcome =
  | { clientOrderId: string; outcome: 'applied' | 'replayed' }
  | { clientOrderId: string; outcome: 'rejected'; error: { code: string; message: string } };

export type SendBatch = (orders: CheckoutRequest[]) => Promise<readonly SyncOutcome[]>;

export interface SyncReport {
  synced: number;
  rejected: number;
  /** Still pending: the sync stopped (no network) or the server left some out. */
  remaining: number;
  interrupted: boolean;
}

export function batchesOf<T>(items: readonly T[], size: number = sync_batch_orders_max): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError('batch size must be a positive integer');
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface SyncOptions {
  batchMax?: number;
  /**
   * For an order rejected as idempotency_mismatch that was first tried online:
   * true when the server has that order (the online attempt went through), so
   * it leaves the outbox instead of waiting for the assistant.
   */
  existsOnServer?: (clientOrderId: string) => Promise<boolean>;
}

/**
 * Sends the pending orders in batches, oldest first. After each answer the
 * applied and replayed orders leave the outbox and rejected ones stay with
 * their reason. A batch that fails (cut off, no network) stops the sync with
 * its orders still pending; the next sync sends them again under the same
 * ids, and the server answers `replayed` for those it had already applied.
 */
export async function syncOutbox(outbox: Outbox, send: SendBatch, options: SyncOptions = {}): Promise<SyncReport> {
  const batchMax = Math.min(options.batchMax ?? sync_batch_orders_max, sync_batch_orders_max);
  const report: SyncReport = { synced: 0, rejected: 0, remaining: 0, interrupted: false };
  const tried = new Set<string>();
  for (;;) {
    const batch = outbox.pending().filter((e) => !tried.has(e.id)).slice(0, batchMax);
    if (batch.length === 0) break;
    for (const e of batch) tried.add(e.id);
    let results: readonly SyncOutcome[];
    try {
      results = await send(batch.map((e) => e.request));
    } catch {
      report.interrupted = true;
      break;
    }
    const inBatch = new Map(batch.map((e) => [e.id, e]));
    const done = new Set<string>();
    const rejections = new Map<string, { code: string; message: string }>();
    for (const r of results) {
      const entry = inBatch.get(r.clientOrderId);
      if (!entry) continue;
      if (r.outcome === 'rejected') {
        if (r.error.code === 'idempotency_mismatch' && entry.triedOnline && options.existsOnServer) {
          const exists = await options.existsOnServer(entry.id).catch(() => false);
          if (exists) {
            done.add(entry.id);
            continue;
          }
        }
        rejections.set(entry.id, r.error);
      } else done.add(entry.id);
    }
    outbox.remove(done);
    outbox.reject(rejections);
    report.synced += done.size;
    report.rejected += rejections.size;
  }
  report.remaining = outbox.pending().length;
  return report;
}

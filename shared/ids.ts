import { monotonicFactory, type PRNG } from 'ulid';

/**
 * Ids are prefixed ULIDs: sortable by creation time, safe to make on a client
 * that may retry (offline billing), and readable in logs (`ord_01J…`).
 */
export const idPrefixes = {
  merchant: 'mch',
  store: 'sto',
  staff: 'stf',
  member: 'mbr',
  category: 'cat',
  product: 'prd',
  sku: 'sku',
  invite: 'inv',
  movement: 'mov',
  points: 'pts',
  return: 'ret',
  journal: 'jnl',
  order: 'ord',
  request: 'req',
  promotion: 'prm',
} as const;

export type IdKind = keyof typeof idPrefixes;

/**
 * Node and browsers have crypto.getRandomValues; the WeChat and Alipay
 * engines do not, so there the random part comes from Math.random mixed with
 * the clock. Ids need to be unique, not secret.
 */
function prng(): PRNG {
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  if (c?.getRandomValues) {
    const buf = new Uint8Array(1);
    return () => c.getRandomValues!(buf)[0]! / 0xff;
  }
  let state = (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296 + Math.random()) % 1;
  };
}

// Made on first use, not at import, so merely importing this module never touches crypto.
// Monotonic within a process, so ids made in the same millisecond still sort in creation order.
let ulid: ReturnType<typeof monotonicFactory> | undefined;

export function newId(kind: IdKind, now: number = Date.now()): string {
  ulid ??= monotonicFactory(prng());
  return `${idPrefixes[kind]}_${ulid(now)}`;
}

const ulidPattern = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export function isId(kind: IdKind, value: string): boolean {
  const prefix = `${idPrefixes[kind]}_`;
  return value.startsWith(prefix) && ulidPattern.test(value.slice(prefix.length));
}

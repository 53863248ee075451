import { monotonicFactory } from 'ulid';

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
} as const;

export type IdKind = keyof typeof idPrefixes;

// Monotonic within a process, so ids made in the same millisecond still sort in creation order.
const ulid = monotonicFactory();

export function newId(kind: IdKind, now: number = Date.now()): string {
  return `${idPrefixes[kind]}_${ulid(now)}`;
}

const ulidPattern = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export function isId(kind: IdKind, value: string): boolean {
  const prefix = `${idPrefixes[kind]}_`;
  return value.startsWith(prefix) && ulidPattern.test(value.slice(prefix.length));
}

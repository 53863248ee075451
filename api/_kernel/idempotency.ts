import { createHash } from 'node:crypto';

/** Canonical JSON: object keys sorted at every depth, so the same request always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The hash stored beside a client's idempotency key: a repeat with the same
 * key and the same hash is a replay; the same key with another hash is a
 * different request wearing an old key, and is refused.
 */
export function requestHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/**
 * Thrown inside a transaction when the row an idempotency key guards was
 * inserted by a concurrent request first (the insert's ON CONFLICT did
 * nothing): the caller rolls back and answers with what that request wrote.
 */
export class ReplayRace extends Error {}

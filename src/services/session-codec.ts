import * as z from 'zod/mini';
import type { ShopperSession, StaffSession } from '../../shared/api/identity';
import { shopperSession, staffSession } from './shop-schemas';

export type SessionKind = 'staff' | 'shopper';
export type SessionOf<K extends SessionKind> = K extends 'staff' ? StaffSession : ShopperSession;

export const session_storage_keys = { staff: 'guitai.session.staff', shopper: 'guitai.session.shopper' } as const;

/** A session this close to expiry is treated as gone, so a request does not start with a dying token. */
export const session_expiry_margin_ms = 60_000;

const stored = {
  staff: z.object({ v: z.literal(1), session: staffSession }),
  shopper: z.object({ v: z.literal(1), session: shopperSession }),
};

export function encodeSession<K extends SessionKind>(_kind: K, session: SessionOf<K>): string {
  return JSON.stringify({ v: 1, session });
}

/** Returns null for anything unreadable, of an older shape, or expired: the caller signs in again. */
export function decodeSession<K extends SessionKind>(kind: K, raw: unknown, now: number = Date.now()): SessionOf<K> | null {
  if (typeof raw !== 'string' || raw === '') return null;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = stored[kind].safeParse(json);
  if (!parsed.success) return null;
  const session = parsed.data.session as SessionOf<K>;
  const expiresAt = Date.parse(session.expiresAt);
  if (!Number.isFinite(expiresAt) || expiresAt - session_expiry_margin_ms <= now) return null;
  return session;
}

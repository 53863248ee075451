import Taro from '@tarojs/taro';
import { decodeSession, encodeSession, session_storage_keys, type SessionKind, type SessionOf } from './session-codec';

// Storage reads are synchronous and cheap, but decoding validates with zod; keep the last result.
const cache: { [K in SessionKind]?: SessionOf<K> | null } = {};

export function getSession<K extends SessionKind>(kind: K): SessionOf<K> | null {
  const cached = cache[kind] as SessionOf<K> | null | undefined;
  if (cached === null) return null;
  if (cached && Date.parse(cached.expiresAt) > Date.now()) return cached;
  let raw: unknown;
  try {
    raw = Taro.getStorageSync(session_storage_keys[kind]);
  } catch {
    raw = undefined;
  }
  const session = decodeSession(kind, raw);
  (cache as Record<SessionKind, unknown>)[kind] = session;
  return session;
}

export function saveSession<K extends SessionKind>(kind: K, session: SessionOf<K>): void {
  (cache as Record<SessionKind, unknown>)[kind] = session;
  Taro.setStorageSync(session_storage_keys[kind], encodeSession(kind, session));
}

export function clearSession(kind: SessionKind): void {
  (cache as Record<SessionKind, unknown>)[kind] = null;
  try {
    Taro.removeStorageSync(session_storage_keys[kind]);
  } catch {
    // Nothing stored is the state we want.
  }
}

import { randomBytes } from 'node:crypto';
import type { StandinKeys } from './server';

/** Fresh credentials for one stand-in, shaped like QStash's (`sig_…` signing keys). */
export function standinKeys(): StandinKeys {
  const key = () => `sig_${randomBytes(18).toString('base64url')}`;
  return { token: `qstash_standin_${randomBytes(18).toString('base64url')}`, currentSigningKey: key(), nextSigningKey: key() };
}

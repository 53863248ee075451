import type { PRNG } from 'ulid';
import { newId, pickPrng } from '../../shared/ids';
import { mulberry32 } from '../../shared/prng';

/**
 * Ids the counter makes itself (orders and returns), so a retry after a lost
 * answer reuses the id and the server replays instead of billing twice. They
 * come from shared/ids, which also works where the mini-program engines have
 * no crypto global.
 */
export { pickPrng } from '../../shared/ids';
export const seededPrng: (seed: number) => PRNG = mulberry32;

const prng = pickPrng();

export type ClientIdKind = 'ord' | 'ret';

export function newClientId(kind: ClientIdKind, now: number = Date.now()): string {
  return newId(kind === 'ord' ? 'order' : 'return', now);
}

const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const device_id_random_chars = 8;

/** A device id fit for receipt numbers: upper-case letters and digits only, `GT` and 8 random characters. */
export function newDeviceId(random: PRNG = prng): string {
  let id = 'GT';
  for (let i = 0; i < device_id_random_chars; i++) id += crockford[Math.floor(random() * crockford.length)] ?? '0';
  return id;
}

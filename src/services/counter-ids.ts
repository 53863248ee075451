import { monotonicFactory, type PRNG } from 'ulid';

/**
 * Ids the counter makes itself (orders and returns), so a retry after a lost
 * answer reuses the id and the server replays instead of billing twice.
 *
 * `ulid` looks for `crypto.getRandomValues`, which WeChat and Alipay
 * mini-programs do not provide as a global; there the generator falls back to
 * a PRNG seeded from Math.random and the clock. Uniqueness then rests on the
 * millisecond timestamp plus 80 pseudo-random bits, ample for one device.
 */

type CryptoLike = { getRandomValues?: (array: Uint8Array) => Uint8Array };

/** mulberry32: small and fast; only used where no cryptographic source exists. */
export function seededPrng(seed: number): PRNG {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pickPrng(source: CryptoLike | undefined = (globalThis as { crypto?: CryptoLike }).crypto): PRNG {
  const getRandomValues = source?.getRandomValues;
  if (typeof getRandomValues === 'function') {
    const buffer = new Uint8Array(1);
    return () => {
      getRandomValues.call(source, buffer);
      return (buffer[0] ?? 0) / 256;
    };
  }
  const seed = (Math.floor(Math.random() * 2 ** 32) ^ Date.now()) >>> 0;
  return seededPrng(seed);
}

const prng = pickPrng();
const ulid = monotonicFactory(prng);

export type ClientIdKind = 'ord' | 'ret';

export function newClientId(kind: ClientIdKind, now: number = Date.now()): string {
  return `${kind}_${ulid(now)}`;
}

const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const device_id_random_chars = 8;

/** A device id fit for receipt numbers: upper-case letters and digits only, `GT` and 8 random characters. */
export function newDeviceId(random: PRNG = prng): string {
  let id = 'GT';
  for (let i = 0; i < device_id_random_chars; i++) id += crockford[Math.floor(random() * crockford.length)] ?? '0';
  return id;
}

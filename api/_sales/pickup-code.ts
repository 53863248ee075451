import { createHash, randomBytes } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import { pickup_code_digits } from '../../shared/api/pickup.js';

/** How many distinct pickup codes a store day has: every receipt number maps to one of them. */
export const pickup_code_space = 10 ** pickup_code_digits;
/**
 * The step between consecutive receipts' codes. It is prime and shares no
 * factor with the code space (a power of ten), so `n → (n × step + offset)
 * mod space` is a bijection: distinct receipt numbers of one store day never
 * share a code, without a retry, while neighbouring orders' codes look unrelated.
 */
export const pickup_code_step = 7919;
/** Random bytes of a receipt token: 128 bits, so the public receipt page cannot be found by guessing. */
export const receipt_token_bytes = 16;

/** Each store day starts its codes somewhere else, so a code is not the receipt number in disguise. */
export function pickupCodeOffset(storeId: string, businessDate: string): number {
  return createHash('sha256').update(`${storeId}|${businessDate}`).digest().readUInt32BE(0) % pickup_code_space;
}

/** The code of the `receiptSerial`-th receipt of the day (the same formula as `pickupCodeSql`). */
export function pickupCodeOf(receiptSerial: number, offset: number): string {
  return String((receiptSerial * pickup_code_step + offset) % pickup_code_space).padStart(pickup_code_digits, '0');
}

/** `pickupCodeOf` in SQL over the receipt counter's new value, for the statement that numbers the order. */
export function pickupCodeSql(serial: RawBuilder<number>, offset: number): RawBuilder<string> {
  return sql<string>`lpad(((${serial}::bigint * ${pickup_code_step} + ${offset}) % ${pickup_code_space})::text, ${pickup_code_digits}, '0')`;
}

export function newReceiptToken(): string {
  return randomBytes(receipt_token_bytes).toString('base64url');
}

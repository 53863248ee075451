import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';

export interface SaleShift {
  /** The shift whose drawer takes the sale's cash; null when none is open. */
  shiftId: string | null;
  /** The sale was billed before this shift opened (or with none open): it synced late. */
  late: boolean;
}

/**
 * Which drawer a sale (or a refund) goes through: the shift open on the
 * device that billed it, or, when the device sent no id or has none open,
 * the store's only open shift. With several open and none on this device it
 * is left unassigned rather than guessed, and the day close lists it.
 *
 * A sale billed offline at `billedAt` that finds no shift open since then
 * was billed in a shift that has closed (or in none): it lands in the open
 * one, if any, flagged late, so the drawer count that missed it is explained
 * and nothing is booked silently into a closed shift.
 */
export async function shiftForSale(db: Kysely<DB> | Transaction<DB>, storeId: string, deviceId: string | null | undefined, billedAt?: Date): Promise<SaleShift> {
  const open = await db
    .selectFrom('shifts')
    .select(['id', 'device_id', 'opened_at'])
    .where('store_id', '=', storeId)
    .where('status', '=', 'open')
    .execute();
  const mine = open.find((s) => deviceId !== undefined && deviceId !== null && s.device_id === deviceId) ?? (open.length === 1 ? open[0] : undefined);
  if (!mine) return { shiftId: null, late: billedAt !== undefined };
  return { shiftId: mine.id, late: billedAt !== undefined && billedAt.getTime() < new Date(mine.opened_at).getTime() };
}

/**
 * Late sales that found no shift open land in the next shift opened in their
 * store: the shift module calls this in the opening's transaction.
 */
export async function adoptLateSales(trx: Transaction<DB>, storeId: string, shiftId: string): Promise<number> {
  const rows = await trx.updateTable('orders').set({ shift_id: shiftId }).where('store_id', '=', storeId).where('shift_late', '=', true).where('shift_id', 'is', null).returning('id').execute();
  return rows.length;
}

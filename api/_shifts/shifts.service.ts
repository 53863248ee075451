import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { Deps } from '../_kernel/deps.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { AppError } from '../_kernel/errors.js';
import { requestHash } from '../_kernel/idempotency.js';
import { businessDate } from '../_kernel/clock.js';
import { assertStoreAccess } from '../_identity/index.js';
import { audit } from '../_audit/index.js';
import { postEntry, type PostLine } from '../_ledger/index.js';
import { adoptLateSales } from '../_sales/index.js';
import type { ShiftView } from '../../shared/api/shifts.js';
import type { z } from 'zod';
import type { cashMoveRequest, closeShiftRequest, confirmShiftRequest, openShiftRequest } from '../../shared/api/shifts.js';
import { countedFen, denomination_labels, varianceFen } from '../../shared/shifts/cash.js';
import { fenToYuan } from '../../shared/money.js';
import { cashOf, shiftFlows, shiftViews } from './shift-view.js';

type Db = Kysely<DB> | Transaction<DB>;

export async function shiftById(db: Db, staff: StaffPrincipal, shiftId: string, now: Date): Promise<ShiftView> {
  const row = await db.selectFrom('shifts').selectAll().where('id', '=', shiftId).where('merchant_id', '=', staff.merchantId).executeTakeFirst();
  if (!row) throw new AppError('not_found', '找不到这个班次');
  await assertStoreAccess(db as Kysely<DB>, staff, row.store_id);
  return (await shiftViews(db, [row], now))[0]!;
}

/** The shift open on this device, or null: the counter asks on start to know whether to offer 开班. */
export async function currentShift(db: Kysely<DB>, staff: StaffPrincipal, storeId: string, deviceId: string, now: Date): Promise<ShiftView | null> {
  await assertStoreAccess(db, staff, storeId);
  const row = await db.selectFrom('shifts').selectAll().where('store_id', '=', storeId).where('device_id', '=', deviceId).where('status', '=', 'open').executeTakeFirst();
  return row ? (await shiftViews(db, [row], now))[0]! : null;
}

/**
 * Opens a shift on a device with its float. The device's id for the shift
 * makes a retry open one shift; a second open shift on the same device is
 * refused by the database (one open per store and device). Late sales that
 * found no shift open are taken into this one.
 */
export async function openShift(deps: Deps, staff: StaffPrincipal, input: z.infer<typeof openShiftRequest>): Promise<{ shift: ShiftView; replayed: boolean }> {
  await assertStoreAccess(deps.db, staff, input.storeId);
  const hash = requestHash(input);
  const now = deps.clock();
  const replay = async () => {
    const found = await deps.db.selectFrom('shifts').select(['request_hash']).where('id', '=', input.clientShiftId).where('merchant_id', '=', staff.merchantId).executeTakeFirst();
    if (!found) return null;
    if (found.request_hash !== hash) throw new AppError('idempotency_mismatch', `班次号 ${input.clientShiftId} 已用于另一次开班`);
    return { shift: await shiftById(deps.db, staff, input.clientShiftId, now), replayed: true };
  };
  const first = await replay();
  if (first) return first;
  try {
    await deps.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('shifts')
        .values({ id: input.clientShiftId, merchant_id: staff.merchantId, store_id: input.storeId, device_id: input.deviceId, business_date: businessDate(now), request_hash: hash, opened_by: staff.staffId, opened_at: now, opening_float_fen: input.openingFloatFen })
        .execute();
      const adopted = await adoptLateSales(trx, input.storeId, input.clientShiftId);
      await audit(trx, { merchantId: staff.merchantId, actorId: staff.staffId, action: 'shift.opened', subjectId: input.clientShiftId, detail: { storeId: input.storeId, deviceId: input.deviceId, openingFloatFen: input.openingFloatFen, lateSalesAdopted: adopted } });
    });
  } catch (e) {
    if ((e as { code?: string }).code === '23505') {
      const again = await replay();
      if (again) return again;
      throw new AppError('conflict', '这台设备还有未交班的班次，请先交班');
    }
    throw e;
  }
  return { shift: await shiftById(deps.db, staff, input.clientShiftId, now), replayed: false };
}

/** Locks an open shift of the merchant for a change, after checking the person may work in its store. */
async function lockOpenShift(trx: Transaction<DB>, staff: StaffPrincipal, shiftId: string) {
  const row = await trx.selectFrom('shifts').selectAll().where('id', '=', shiftId).where('merchant_id', '=', staff.merchantId).forUpdate().executeTakeFirst();
  if (!row) throw new AppError('not_found', '找不到这个班次');
  await assertStoreAccess(trx, staff, row.store_id);
  return row;
}

const move_labels = { change_fund_in: '补充找零备用金', change_fund_out: '取出找零备用金', petty_cash: '备用金支出', bank_deposit: '现金存银行' } as const;

/**
 * Cash put into or taken out of the drawer during a shift, with its reason.
 * Change fund moves between the drawer and the safe stay within 库存现金;
 * petty cash is an expense and a deposit moves cash to the bank, so those
 * two are journalled in the same transaction.
 */
export async function addCashMove(deps: Deps, staff: StaffPrincipal, shiftId: string, input: z.infer<typeof cashMoveRequest>): Promise<ShiftView> {
  const hash = requestHash({ shiftId, ...input });
  const now = deps.clock();
  const existing = await deps.db.selectFrom('shift_cash_moves').select(['request_hash']).where('id', '=', input.clientMoveId).where('merchant_id', '=', staff.merchantId).executeTakeFirst();
  if (existing) {
    if (existing.request_hash !== hash) throw new AppError('idempotency_mismatch', `单号 ${input.clientMoveId} 已用于另一笔现金存取`);
    return shiftById(deps.db, staff, shiftId, now);
  }
  await deps.db.transaction().execute(async (trx) => {
    const shift = await lockOpenShift(trx, staff, shiftId);
    if (shift.status !== 'open') throw new AppError('conflict', '班次已交班，不能再存取现金');
    await trx.insertInto('shift_cash_moves').values({ id: input.clientMoveId, merchant_id: staff.merchantId, shift_id: shiftId, kind: input.kind, amount_fen: input.amountFen, reason: input.reason, request_hash: hash, created_by: staff.staffId }).execute();
    const other = input.kind === 'petty_cash' ? 'petty_expenses' : input.kind === 'bank_deposit' ? 'bank' : null;
    if (other) {
      await postEntry(trx, {
        merchantId: staff.merchantId,
        storeId: shift.store_id,
        eventKey: `cash_move:${input.clientMoveId}`,
        businessDate: businessDate(now),
        occurredAt: now,
        memo: `${move_labels[input.kind]}：${input.reason}`,
        lines: [
          { account: other, debitFen: input.amountFen },
          { account: 'cash', creditFen: input.amountFen },
        ],
      });
    }
    await audit(trx, { merchantId: staff.merchantId, actorId: staff.staffId, action: 'shift.cash_move', subjectId: input.clientMoveId, detail: { shiftId, kind: input.kind, amountFen: input.amountFen, reason: input.reason } });
  });
  return shiftById(deps.db, staff, shiftId, now);
}

/** The journal lines for a drawer that counted over or short: the difference waits in 待处理财产损溢. */
function varianceLines(variance: number): PostLine[] {
  return variance < 0
    ? [
        { account: 'cash_over_short', debitFen: -variance, memo: '现金短款' },
        { account: 'cash', creditFen: -variance },
      ]
    : [
        { account: 'cash', debitFen: variance },
        { account: 'cash_over_short', creditFen: variance, memo: '现金长款' },
      ];
}

/**
 * Closes a shift with the drawer counted by denomination. The expected cash
 * is computed from the records in the same transaction that marks the shift
 * closed, so a sale committed later cannot slip between the two (sales only
 * enter a shift that is still open). The variance is journalled at once; a
 * repeat of the same count is a replay, a different count an error.
 */
export async function closeShift(deps: Deps, staff: StaffPrincipal, shiftId: string, input: z.infer<typeof closeShiftRequest>): Promise<ShiftView> {
  const counts = [...input.counts].filter((c) => c.count > 0).sort((a, b) => b.denominationFen - a.denominationFen);
  const hash = requestHash({ counts, note: input.note ?? null });
  const now = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    const shift = await lockOpenShift(trx, staff, shiftId);
    if (shift.status !== 'open') {
      if (shift.close_hash === hash) return;
      throw new AppError('conflict', '这个班次已经交班，清点结果不能更改');
    }
    const flows = (await shiftFlows(trx, [shift])).get(shiftId)!;
    const expected = cashOf(Number(shift.opening_float_fen), flows).expectedFen;
    const counted = countedFen(counts);
    const variance = varianceFen(counted, expected);
    await trx
      .updateTable('shifts')
      .set({ status: 'closed', closed_by: staff.staffId, closed_at: now, close_hash: hash, counts: JSON.stringify(counts), counted_fen: counted, expected_fen: expected, variance_fen: variance, close_note: input.note ?? null })
      .where('id', '=', shiftId)
      .where('status', '=', 'open')
      .execute();
    if (variance !== 0) {
      await postEntry(trx, { merchantId: staff.merchantId, storeId: shift.store_id, eventKey: `shift_variance:${shiftId}`, businessDate: businessDate(now), occurredAt: now, memo: `交班现金${variance < 0 ? '短款' : '长款'} ￥${fenToYuan(Math.abs(variance))}`, lines: varianceLines(variance) });
    }
    const countText = counts.map((c) => `${denomination_labels[c.denominationFen]}×${c.count}`).join('，');
    await audit(trx, { merchantId: staff.merchantId, actorId: staff.staffId, action: 'shift.closed', subjectId: shiftId, detail: { countedFen: counted, expectedFen: expected, varianceFen: variance, counts: countText, note: input.note ?? null } });
  });
  return shiftById(deps.db, staff, shiftId, now);
}

/** A manager accepts a closed shift and its variance; once only (compare-and-set), a repeat answers the same. */
export async function confirmShift(deps: Deps, staff: StaffPrincipal, shiftId: string, input: z.infer<typeof confirmShiftRequest>): Promise<ShiftView> {
  const now = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('shifts').selectAll().where('id', '=', shiftId).where('merchant_id', '=', staff.merchantId).forUpdate().executeTakeFirst();
    if (!row) throw new AppError('not_found', '找不到这个班次');
    await assertStoreAccess(trx, staff, row.store_id);
    if (row.status === 'confirmed') return;
    if (row.status !== 'closed') throw new AppError('conflict', '班次还没交班，不能确认');
    await trx.updateTable('shifts').set({ status: 'confirmed', confirmed_by: staff.staffId, confirmed_at: now, confirm_note: input.note ?? null }).where('id', '=', shiftId).where('status', '=', 'closed').execute();
    await audit(trx, { merchantId: staff.merchantId, actorId: staff.staffId, action: 'shift.confirmed', subjectId: shiftId, detail: { varianceFen: Number(row.variance_fen), note: input.note ?? null } });
  });
  return shiftById(deps.db, staff, shiftId, now);
}

/** A store's shifts of one business day, for the manager. */
export async function shiftsOfDay(db: Kysely<DB>, staff: StaffPrincipal, storeId: string, date: string, now: Date): Promise<ShiftView[]> {
  await assertStoreAccess(db, staff, storeId);
  const rows = await db.selectFrom('shifts').selectAll().where('merchant_id', '=', staff.merchantId).where('store_id', '=', storeId).where('business_date', '=', date).orderBy('opened_at').execute();
  return shiftViews(db, rows, now);
}

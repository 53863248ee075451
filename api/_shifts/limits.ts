/** When a store sets no closing time, a shift still open after 22:00 on its day shows as overdue. */
export const store_closes_at_default = '22:00';
/** A day close lists at most this many shifts; a store with more in one day is billing in a loop. */
export const day_close_shifts_max = 200;

import type { ColumnType } from 'kysely';

/** Column shapes the modules' table types share: Kysely's view; the migrations are the truth, the types mirror them. */
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** `date` columns: the Asia/Shanghai business day as YYYY-MM-DD. */
export type BusinessDate = string;

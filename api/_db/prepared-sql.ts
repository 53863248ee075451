import { sql, type RawBuilder } from 'kysely';
import { prepare_marker } from './connect.js';

/**
 * Like Kysely's `sql` tag, for a statement of fixed text on a hot path: on
 * pg and Neon it is prepared once per connection (see prepare_marker), also
 * inside a transaction, so Postgres parses it once and can reuse its plan.
 */
export function preparedSql<R = unknown>(strings: TemplateStringsArray, ...values: unknown[]): RawBuilder<R> {
  return sql<R>([prepare_marker + strings[0], ...strings.slice(1)] as unknown as TemplateStringsArray, ...values);
}

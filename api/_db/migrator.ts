import { sql, type Kysely } from 'kysely';
import { migrations } from './migrations/index.js';

/**
 * Migrations are plain SQL statements run in order, each migration in one
 * transaction, recorded in `schema_migrations`. Statements are sent one at a
 * time because PGlite's extended protocol takes one statement per query.
 */
export interface Migration {
  name: string;
  up: string[];
}

export { migrations };

export async function migrate(db: Kysely<any>): Promise<string[]> {
  await sql`create table if not exists schema_migrations (
    name text primary key,
    applied_at timestamptz not null default now()
  )`.execute(db);
  const applied: string[] = [];
  for (const migration of migrations) {
    const done = await db.transaction().execute(async (trx) => {
      // A transaction-scoped advisory lock keeps two starting instances from racing.
      await sql`select pg_advisory_xact_lock(727274)`.execute(trx);
      const seen = await sql<{ name: string }>`select name from schema_migrations where name = ${migration.name}`.execute(trx);
      if (seen.rows.length > 0) return false;
      for (const statement of migration.up) await sql.raw(statement).execute(trx);
      await sql`insert into schema_migrations (name) values (${migration.name})`.execute(trx);
      return true;
    });
    if (done) applied.push(migration.name);
  }
  return applied;
}

export { schemaStatus, type SchemaStatus } from './schema-status.js';

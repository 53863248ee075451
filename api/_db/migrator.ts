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

/** Where the database stands against the migrations this code carries. */
export interface SchemaStatus {
  /** The newest migration this code knows. */
  latest: string;
  /** The newest of this code's migrations that the database has, or null. */
  current: string | null;
  /** This code's migrations the database lacks: the code must not serve until they run. */
  pending: string[];
  /** Migrations the database has and this code does not know: an older deployment serving a newer schema. */
  unknown: string[];
}

export async function schemaStatus(db: Kysely<any>): Promise<SchemaStatus> {
  const table = await sql<{ present: boolean }>`select to_regclass('schema_migrations') is not null as present`.execute(db);
  const applied = table.rows[0]?.present ? (await sql<{ name: string }>`select name from schema_migrations`.execute(db)).rows.map((r) => r.name) : [];
  const have = new Set(applied);
  const known = new Set(migrations.map((m) => m.name));
  const current = [...migrations].reverse().find((m) => have.has(m.name))?.name ?? null;
  return {
    latest: migrations[migrations.length - 1]!.name,
    current,
    pending: migrations.filter((m) => !have.has(m.name)).map((m) => m.name),
    unknown: applied.filter((name) => !known.has(name)).sort(),
  };
}

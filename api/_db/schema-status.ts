import { migrations } from './migrations/index.js';

/**
 * Where the database stands against the migrations this code carries. It
 * reads through a plain query function, not the query builder, so the
 * function's health check can answer before Kysely is loaded.
 */
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

/** A statement of fixed text under a name (pg and Neon prepare it once per connection). */
export type RawQuery = <R>(name: string, text: string) => Promise<R[]>;

export async function schemaStatus(query: RawQuery): Promise<SchemaStatus> {
  const table = await query<{ present: boolean }>('schema_table', `select to_regclass('schema_migrations') is not null as present`);
  const applied = table[0]?.present ? (await query<{ name: string }>('schema_names', `select name from schema_migrations`)).map((r) => r.name) : [];
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

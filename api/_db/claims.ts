import { sql, type Kysely } from 'kysely';

/**
 * A database as a deployment claims it (see migration 0023). The host is the
 * one in the URL, with Neon's `-pooler` suffix taken off, since the pooled and
 * the direct URL of one Neon database differ only by it.
 */
export function databaseHost(url: string): string {
  const host = new URL(url).hostname.toLowerCase();
  return host.replace(/-pooler(?=\.)/, '');
}

export class DatabaseClaimError extends Error {
  override name = 'DatabaseClaimError';
}

/**
 * Records that `environment` uses this database, after checking that a
 * preview is not about to migrate production's own database. Runs in the
 * deploy step, after the migrations made the table.
 */
export async function claimDatabase(db: Kysely<any>, environment: 'production' | 'preview', host: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`lock table deployment_claims in share row exclusive mode`.execute(trx);
    if (environment === 'preview') {
      const production = await sql<{ n: number }>`select count(*)::int as n from deployment_claims where environment = 'production' and database_host = ${host}`.execute(trx);
      if ((production.rows[0]?.n ?? 0) > 0) {
        throw new DatabaseClaimError(`the database at ${host} is production's: give previews their own DATABASE_URL (a Neon branch)`);
      }
    } else {
      const preview = await sql<{ n: number }>`select count(*)::int as n from deployment_claims where environment = 'preview' and database_host = ${host}`.execute(trx);
      if ((preview.rows[0]?.n ?? 0) > 0) {
        throw new DatabaseClaimError(`the database at ${host} has served previews: production needs a database of its own`);
      }
    }
    await sql`insert into deployment_claims (environment, database_host) values (${environment}, ${host}) on conflict do nothing`.execute(trx);
  });
}

/** Whether production has claimed this host: asked before migrating, so a preview never changes production's schema first. */
export async function productionClaims(db: Kysely<any>, host: string): Promise<boolean> {
  const table = await sql<{ present: boolean }>`select to_regclass('deployment_claims') is not null as present`.execute(db);
  if (!table.rows[0]?.present) return false;
  const rows = await sql<{ n: number }>`select count(*)::int as n from deployment_claims where environment = 'production' and database_host = ${host}`.execute(db);
  return (rows.rows[0]?.n ?? 0) > 0;
}

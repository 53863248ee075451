import type { Migration } from '../migrator.js';

/**
 * Which deployments have migrated this database, by environment and by the
 * database host they reached it through. A preview build refuses a database
 * that production claims under the same host: previews get their own (a Neon
 * branch has its own host, even though it starts as a copy of production's
 * rows, this table included).
 */
export const m0023_deployment_claims: Migration = {
  name: '0023_deployment_claims',
  up: [
    `create table deployment_claims (
      environment text not null check (environment in ('production', 'preview')),
      database_host text not null check (database_host <> ''),
      first_claimed_at timestamptz not null default now(),
      primary key (environment, database_host)
    )`,
  ],
};

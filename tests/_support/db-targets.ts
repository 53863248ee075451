import { configureNeonForLocal } from '../../tools/testenv/neon-proxy';
import { createTestDatabase } from './pg';
import { requireThat } from './requires';

/**
 * The databases every DB suite runs against, as kysely runs its suites over
 * every dialect: embedded PGlite always, and a real Postgres server both
 * directly (`pg`) and through the Neon serverless driver over the local
 * WebSocket proxy, when `npm test` started them.
 */
export interface DbTarget {
  name: 'pglite' | 'pg' | 'neon';
  available: boolean;
  /** A fresh, empty database for one suite. */
  create(): Promise<{ url: string; driver: string; drop(): Promise<void> }>;
}

export function dbTargets(): DbTarget[] {
  const pgUrl = process.env.GUITAI_TEST_PG_URL ?? '';
  const proxyPort = Number(process.env.GUITAI_TEST_NEON_PROXY_PORT ?? 0);
  return [
    {
      name: 'pglite',
      available: true,
      create: async () => ({ url: 'pglite:memory', driver: 'pglite', drop: async () => {} }),
    },
    {
      name: 'pg',
      available: requireThat(pgUrl !== '', 'no Postgres server (GUITAI_TEST_PG_URL is not set)'),
      create: async () => ({ ...(await createTestDatabase(pgUrl)), driver: 'pg' }),
    },
    {
      name: 'neon',
      available: requireThat(pgUrl !== '' && proxyPort > 0, 'no Postgres server or Neon WebSocket proxy (GUITAI_TEST_PG_URL / GUITAI_TEST_NEON_PROXY_PORT)'),
      create: async () => {
        configureNeonForLocal(proxyPort);
        return { ...(await createTestDatabase(pgUrl)), driver: 'neon' };
      },
    },
  ];
}

import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

const DATABASE_PREFIX = 'guitai_t_';
const NAME_RANDOM_BYTES = 6;

/**
 * Creates an empty database on the server of `baseUrl` (normally
 * `GUITAI_TEST_PG_URL`), so suites that run at once on one server never see
 * each other's rows. Call `drop()` in `afterAll`.
 */
export async function createTestDatabase(baseUrl: string): Promise<TestDatabase> {
  const name = DATABASE_PREFIX + randomBytes(NAME_RANDOM_BYTES).toString('hex');
  await withClient(baseUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // FORCE ends connections a suite forgot to close instead of failing the drop.
    drop: () => withClient(baseUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

async function withClient(url: string, work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

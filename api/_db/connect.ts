import type { Kysely } from 'kysely';
import type { DB } from './schema.js';
import { typeParsers } from './type-parsers.js';
import { sessionsOf, type WithSession } from './copy-session.js';

export type DbDriver = 'pglite' | 'pg' | 'neon';

export interface DatabaseHandle {
  db: Kysely<DB>;
  driver: DbDriver;
  /**
   * A hand-written statement prepared once per connection under `name`, for
   * the few reads on every scan: Postgres then skips planning, which costs
   * ten times the execution for a small join. Kysely cannot name statements.
   */
  prepared<R>(name: string, text: string, values: unknown[]): Promise<R[]>;
  /** Work on one held connection that may also COPY … FROM STDIN (pg and Neon; PGlite has none). */
  session?: WithSession;
  /**
   * Resolves once `db` can be used. Over pg and Neon the query builder
   * (Kysely, some 260 files) is loaded on first need rather than at a cold
   * start, which a health check answers without it (see lazyKysely).
   */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export const db_pool_size_max = 10;

/**
 * A statement whose text starts with this comment is prepared once per
 * connection, also inside a Kysely transaction, where `prepared` cannot
 * reach: Postgres then parses it once and can keep its plan. Only for
 * hand-written statements of fixed text on the hot paths, since every
 * distinct text stays prepared on every connection for its life.
 */
export const prepare_marker = '/* prepare */ ';
/** Past this many distinct marked texts, statements run unnamed: a bug that builds texts dynamically must not grow every connection. */
export const prepared_texts_max = 100;

const preparedNames = new Map<string, string>();

function preparedName(text: string): string | undefined {
  let name = preparedNames.get(text);
  if (name === undefined && preparedNames.size < prepared_texts_max) {
    name = `m${preparedNames.size + 1}`;
    preparedNames.set(text, name);
  }
  return name;
}

interface QueryingClient {
  query(...args: unknown[]): unknown;
}

/** Names the marked statements of every connection the pool opens. */
function prepareMarked(pool: { on(event: 'connect', listener: (client: QueryingClient) => void): unknown }): void {
  pool.on('connect', (client) => {
    const query = client.query;
    client.query = function (this: QueryingClient, ...args: unknown[]) {
      const [text, values] = args;
      if (typeof text === 'string' && text.startsWith(prepare_marker) && Array.isArray(values) && args.length === 2) {
        const name = preparedName(text);
        if (name) return query.call(this, { name, text, values });
      }
      return query.apply(this, args);
    };
  });
}

/**
 * Which driver a URL means. `pglite:` (or no URL) is the embedded database
 * (`pglite:memory` or `pglite:<dir>`); a host on neon.tech goes through Neon's
 * WebSocket Pool, since interactive transactions need a session; anything
 * else is a plain Postgres server through `pg`. `DATABASE_DRIVER` overrides,
 * which is how the tests reach a local server through the Neon driver.
 */
export function driverFor(url: string | undefined, override?: string): DbDriver {
  if (override === 'pglite' || override === 'pg' || override === 'neon') return override;
  if (!url || url.startsWith('pglite:')) return 'pglite';
  const host = new URL(url).hostname;
  return host.endsWith('.neon.tech') ? 'neon' : 'pg';
}

interface TypeRegistry {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (text: string) => unknown;
}

/** Our parsers first, the driver's own for every other type. */
function withOwnParsers(base: TypeRegistry): TypeRegistry {
  return {
    getTypeParser: (oid, format) => {
      const own = typeParsers[oid];
      if (own && format !== 'binary') return own;
      return base.getTypeParser(oid, format);
    },
  };
}

/**
 * A pooled connection that dies while idle (a server restart, a killed
 * backend) emits 'error' on the pool; unheard, that event would end the
 * process. The pool replaces the connection, so saying so is enough.
 */
function reportIdleError(error: Error): void {
  process.stderr.write(JSON.stringify({ t: new Date().toISOString(), level: 'warn', msg: 'idle database connection lost', error: error.message }) + '\n');
}

/**
 * Opens the embedded PGlite database. It is passed in by the dev server, the
 * tests and the tools (`api/_db/embedded.ts`) and never imported here, so
 * the production function, whose file tracer follows every import, does not
 * carry PGlite's 16 MB of wasm and data.
 */
export type EmbeddedOpener = (url: string | undefined) => Promise<DatabaseHandle>;

/**
 * Kysely over a pool, made when `ready()` is first awaited; `db` before that
 * is a programming error (the app awaits readiness before any route runs).
 */
function lazyKysely(pool: unknown): { db: () => Kysely<DB>; ready: () => Promise<void>; close: () => Promise<void> } {
  let db: Kysely<DB> | undefined;
  let loading: Promise<void> | undefined;
  return {
    db: () => {
      if (!db) throw new Error('the query builder is not loaded yet: await the database handle\'s ready() first');
      return db;
    },
    ready: () =>
      (loading ??= import('kysely').then(({ Kysely, PostgresDialect }) => {
        // Kysely's PostgresPool type and Neon's Pool differ only in overload shapes.
        db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: pool as never }) });
      })),
    // Kysely's destroy ends the pool; without Kysely the pool is ended directly.
    close: () => (db ? db.destroy() : (pool as { end(): Promise<void> }).end()),
  };
}

/**
 * A database handle whose query builder is ready: what tools, tests and dev
 * use. The function's cold start uses openDatabase and waits for readiness
 * only when a route needs it.
 */
export async function connect(url: string | undefined, override?: string, embedded?: EmbeddedOpener): Promise<DatabaseHandle> {
  const handle = await openDatabase(url, override, embedded);
  await handle.ready();
  return handle;
}

export async function openDatabase(url: string | undefined, override?: string, embedded?: EmbeddedOpener): Promise<DatabaseHandle> {
  const driver = driverFor(url, override);
  if (driver === 'pglite') {
    if (!embedded) throw new Error('this build has no embedded database: set DATABASE_URL to a Postgres server');
    return embedded(url);
  }
  if (driver === 'pg') {
    const pg = await import('pg');
    const types = withOwnParsers(pg.default.types as unknown as TypeRegistry);
    const pool = new pg.default.Pool({ connectionString: url, max: db_pool_size_max, types: types as never });
    return poolHandle(driver, pool as never);
  }
  const neon = await import('@neondatabase/serverless');
  // Node 20 has no global WebSocket; Neon's Pool needs one to hold a session open.
  if (!neon.neonConfig.webSocketConstructor && typeof globalThis.WebSocket === 'undefined') {
    neon.neonConfig.webSocketConstructor = (await import('ws')).default;
  }
  const types = withOwnParsers(neon.types as unknown as TypeRegistry);
  const pool = new neon.Pool({ connectionString: url, max: db_pool_size_max, types: types as never });
  return poolHandle(driver, pool as never);
}

interface QueryPool {
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'connect', listener: (client: QueryingClient) => void): unknown;
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/** A pg or Neon pool (Neon's client is pg's) as a database handle: idle errors heard, marked statements prepared, the query builder on first need. */
function poolHandle(driver: DbDriver, pool: QueryPool): DatabaseHandle {
  pool.on('error', reportIdleError);
  prepareMarked(pool as never);
  const lazy = lazyKysely(pool);
  const prepared = async <R>(name: string, text: string, values: unknown[]) => (await pool.query({ name, text, values })).rows as R[];
  return {
    get db() {
      return lazy.db();
    },
    driver,
    prepared,
    session: sessionsOf(pool as never),
    ready: lazy.ready,
    close: lazy.close,
  };
}

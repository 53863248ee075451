import { CompiledQuery, Kysely } from 'kysely';
import { PGlite } from '@electric-sql/pglite';
import type { DatabaseHandle } from './connect.js';
import { PGliteDialect } from './pglite-dialect.js';
import type { DB } from './schema.js';
import { typeParsers } from './type-parsers.js';

/**
 * The embedded database for `npm run dev`, the tests and the tools:
 * `pglite:memory` (or no URL) in memory, `pglite:<dir>` on disk. Only code
 * that runs on a developer's machine imports this file (see EmbeddedOpener).
 */
export async function openEmbedded(url: string | undefined): Promise<DatabaseHandle> {
  const location = !url || url === 'pglite:' || url === 'pglite:memory' ? undefined : url.slice('pglite:'.length);
  const pglite = location ? new PGlite(location, { parsers: typeParsers }) : new PGlite({ parsers: typeParsers });
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  // PGlite is one session in this process: through Kysely, so it takes its turn with transactions.
  const prepared = async <R>(_name: string, text: string, values: unknown[]) => (await db.executeQuery<R>(CompiledQuery.raw(text, values))).rows;
  return { db, driver: 'pglite', prepared, ready: async () => {}, close: () => db.destroy() };
}
